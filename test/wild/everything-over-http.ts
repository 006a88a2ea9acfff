// Starts server-everything in one of its HTTP modes (HTTP+SSE or Streamable HTTP) on a free loopback
// port. It reads the port from PORT and says on stderr when it listens; both modes print their own
// chatter too, which the test ignores.
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { EVERYTHING_SERVER, NODE } from '../helpers/paths.js';
import { waitFor } from '../helpers/gateway.js';
import { isAlive } from '../helpers/processes.js';

export interface EverythingOverHttp {
  url: string;
  stop(): Promise<void>;
}

export async function startEverythingOverHttp(mode: 'sse' | 'streamableHttp'): Promise<EverythingOverHttp> {
  const port = await findFreePort();
  const child = spawn(NODE, [EVERYTHING_SERVER, mode], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitFor(() => {
    if (child.exitCode !== null) throw new Error(`server-everything ${mode} exited:\n${stderr}`);
    return new RegExp(`port ${port}`).test(stderr);
  });
  const path = mode === 'sse' ? '/sse' : '/mcp';
  return {
    url: `http://127.0.0.1:${port}${path}`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await waitFor(() => child.pid === undefined || !isAlive(child.pid));
    },
  };
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
