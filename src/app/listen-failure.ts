// The one line `pml serve --http` ends with when it cannot listen: the address, why, and the flag
// that fixes it, instead of a stack trace. Errors it does not know pass through unchanged.
import { ConfigError } from '../errors/index.js';

interface ListenTarget {
  host: string;
  port: number;
  /** Where the port came from: `--port`, or the config file that set gateway.http.port. */
  source: string;
}

const EXPLANATIONS: Readonly<Record<string, { path: string; explain: (address: string) => string }>> = {
  EADDRINUSE: {
    path: 'gateway.http.port',
    explain: (address) =>
      `${address} is already in use by another process; stop it or choose another port with --port`,
  },
  EACCES: {
    path: 'gateway.http.port',
    explain: (address) =>
      `${address} may not be used by this user (ports below 1024 need privileges); choose another port with --port`,
  },
  EADDRNOTAVAIL: {
    path: 'gateway.http.host',
    explain: (address) =>
      `${address} cannot be bound: the host is not an address of this machine; choose another with --host`,
  },
  ENOTFOUND: {
    path: 'gateway.http.host',
    explain: (address) => `${address} cannot be bound: no such host; choose another with --host`,
  },
};

export function toListenError(error: unknown, target: ListenTarget): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const row = code === undefined ? undefined : EXPLANATIONS[code];
  if (!row) return error;
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  const message = row.explain(`${host}:${target.port}`);
  return new ConfigError(
    message,
    { source: target.source, issues: [{ path: row.path, message }] },
    { cause: error },
  );
}
