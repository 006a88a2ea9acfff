// An HTTP MCP server in a child process that tests kill and start again on the same port: our
// forgetful fixture, or a real one (server-everything in streamableHttp mode). Resolves once the
// server says it listens; `kill` waits for the process to be gone.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { EVERYTHING_SERVER, NODE, ROOT } from './paths.js';

export const FORGETFUL_SERVER = join(ROOT, 'test', 'fixtures', 'forgetful-http-server.mjs');

export interface UpstreamProcess {
  url: string;
  port: number;
  child: ChildProcess;
  kill(): Promise<void>;
}

/** A port nothing listens on right now (the OS picks it; the test then binds it itself). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function startForgetfulServer(port: number, lostSession: 404 | 400 = 404): Promise<UpstreamProcess> {
  const args = [FORGETFUL_SERVER, '--port', String(port), '--lost-session', String(lostSession)];
  return startUpstream(args, {}, port, /^listening /m);
}

/** server-everything in one of its own HTTP modes, as its README starts it (PORT from the environment). */
export async function startEverythingHttp(
  port: number,
  mode: 'streamableHttp' | 'sse' = 'streamableHttp',
): Promise<UpstreamProcess> {
  const started = await startUpstream([EVERYTHING_SERVER, mode], { PORT: String(port) }, port, /port \d+/);
  return mode === 'sse' ? { ...started, url: `http://127.0.0.1:${port}/sse` } : started;
}

function startUpstream(
  args: string[],
  env: Record<string, string>,
  port: number,
  readyLine: RegExp,
): Promise<UpstreamProcess> {
  const child = spawn(NODE, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!readyLine.test(output)) return;
      resolve({
        url: `http://127.0.0.1:${port}/mcp`,
        port,
        child,
        kill: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          await exited;
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(() => reject(new Error(`upstream exited before listening:\n${output}`)));
  });
}

/** Tells the forgetful fixture to drop every session, as a restart would. */
export async function forgetSessions(upstream: UpstreamProcess): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${upstream.port}/forget`, { method: 'POST' });
  if (response.status !== 204) throw new Error(`forget answered ${response.status}`);
}
