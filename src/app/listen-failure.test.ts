import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/index.js';
import { toListenError } from './listen-failure.js';

/** The error Node gives for a listen on a port another server holds. */
async function listenOnHeldPort(): Promise<{ error: unknown; port: number }> {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const port = (holder.address() as { port: number }).port;
  const second = createServer();
  try {
    const error = await new Promise<unknown>((resolve) => {
      second.once('error', resolve);
      second.listen(port, '127.0.0.1');
    });
    return { error, port };
  } finally {
    second.close();
    holder.close();
  }
}

describe('toListenError', () => {
  it('names the address and --port when the port is taken', async () => {
    const { error, port } = await listenOnHeldPort();
    const mapped = toListenError(error, { host: '127.0.0.1', port, source: '--port' });
    expect(mapped).toBeInstanceOf(ConfigError);
    expect((mapped as Error).message).toBe(
      `127.0.0.1:${port} is already in use by another process; stop it or choose another port with --port`,
    );
  });

  it('explains a privileged port and brackets an IPv6 host', () => {
    const denied = Object.assign(new Error('listen EACCES'), { code: 'EACCES' });
    const mapped = toListenError(denied, { host: '::1', port: 80, source: 'pml.config.json' }) as ConfigError;
    expect(mapped.message).toMatch(/^\[::1\]:80 may not be used .*ports below 1024.* --port$/);
    expect(mapped.data).toEqual({
      source: 'pml.config.json',
      issues: [{ path: 'gateway.http.port', message: mapped.message }],
    });
  });

  it('passes an error it does not know through unchanged', () => {
    const other = Object.assign(new Error('something else'), { code: 'EMFILE' });
    expect(toListenError(other, { host: '127.0.0.1', port: 1, source: '--port' })).toBe(other);
  });
});
