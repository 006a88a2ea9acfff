// Checks an HTTP request before it reaches MCP: Host and Origin against DNS rebinding, then the
// bearer token. Returns the refusal to send, or undefined to go on.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface HttpGuardOptions {
  token: string | undefined;
  allowedHosts: string[];
  allowedOrigins: string[];
}

export interface Refusal {
  status: number;
  message: string;
  headers?: Record<string, string>;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export function buildAllowedHosts(bindHost: string, port: number, extra: string[]): Set<string> {
  const names = new Set([
    ...LOOPBACK_NAMES,
    bindHost.includes(':') && !bindHost.startsWith('[') ? `[${bindHost}]` : bindHost,
  ]);
  const hosts = new Set<string>(extra.map((host) => host.toLowerCase()));
  for (const name of names) {
    hosts.add(name);
    hosts.add(`${name}:${port}`);
  }
  return hosts;
}

export function checkHttpRequest(
  request: IncomingMessage,
  allowedHosts: Set<string>,
  options: HttpGuardOptions,
): Refusal | undefined {
  const host = request.headers.host?.toLowerCase();
  if (!host || !allowedHosts.has(host)) {
    return {
      status: 403,
      message: `Host "${host ?? ''}" is not allowed (DNS rebinding protection). Add it to gateway.http.allowedHosts if it is yours.`,
    };
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !isAllowedOrigin(origin, allowedHosts, options.allowedOrigins)) {
    return {
      status: 403,
      message: `Origin "${origin}" is not allowed. Add it to gateway.http.allowedOrigins if it is yours.`,
    };
  }
  if (options.token !== undefined && !hasToken(request.headers.authorization, options.token)) {
    return {
      status: 401,
      message:
        'Missing or wrong bearer token: send "Authorization: Bearer <token>" with the token pml was started with.',
      headers: { 'www-authenticate': 'Bearer realm="pml"' },
    };
  }
  return undefined;
}

function isAllowedOrigin(origin: string, allowedHosts: Set<string>, allowedOrigins: string[]): boolean {
  if (allowedOrigins.includes(origin)) return true;
  try {
    return allowedHosts.has(new URL(origin).host.toLowerCase());
  } catch {
    return false;
  }
}

function hasToken(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1]);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
