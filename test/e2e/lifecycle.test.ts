// No orphans: whatever ends the gateway (stdin EOF, SIGTERM, SIGINT), its downstream servers die
// with it, including servers that ignore stdin EOF as the SDK's reference servers do.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { everythingServer, fixtureServer, gatewayEnv, waitFor, writeConfig } from '../helpers/gateway.js';
import { CLI, NODE } from '../helpers/paths.js';
import { isAlive, listDescendants } from '../helpers/processes.js';

async function startGatewayWithChildren() {
  const { dir, path } = writeConfig({ mcpServers: { a: fixtureServer(), b: everythingServer() } });
  const child = spawn(NODE, [CLI, 'serve', '--config', path], {
    env: gatewayEnv(dir),
    cwd: dir,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitFor(() => (stderr.match(/server ready/g) ?? []).length >= 2, 15_000);
  const descendants = listDescendants(child.pid!);
  expect(descendants.length).toBeGreaterThanOrEqual(2);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, descendants, exited };
}

describe('gateway shutdown', () => {
  it.each([
    ['stdin EOF', (child: ReturnType<typeof spawn>) => child.stdin!.end(), 0],
    ['SIGTERM', (child: ReturnType<typeof spawn>) => child.kill('SIGTERM'), 143],
    ['SIGINT', (child: ReturnType<typeof spawn>) => child.kill('SIGINT'), 130],
  ])('leaves no child process alive after %s', async (_name, end, expectedCode) => {
    const { child, descendants, exited } = await startGatewayWithChildren();
    end(child);
    expect(await exited).toBe(expectedCode);
    await waitFor(() => descendants.every((pid) => !isAlive(pid)), 5_000);
  });
});
