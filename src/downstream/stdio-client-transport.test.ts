import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
// Zombie-aware: a killed process waits for pid 1 to reap it, which may take seconds here.
import { isAlive } from '../../test/helpers/processes.js';
import { waitFor } from '../../test/helpers/gateway.js';
import { countLiveChildren } from './child-registry.js';
import { SpawnedStdioTransport } from './stdio-client-transport.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'fixtures');
const WRAPPER = join(FIXTURES, 'wrapper.mjs');
const LINGERING = join(FIXTURES, 'lingering-server.mjs');

let dir: string | undefined;
const transports: SpawnedStdioTransport[] = [];
const startedPids: number[] = [];
afterEach(async () => {
  await Promise.all(transports.splice(0).map((transport) => transport.close()));
  // Whatever a failed test left running.
  for (const pid of startedPids.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A lingering server (ignores SIGTERM, outlives stdin) under an npx-like wrapper; their pids. */
async function startWrappedLingeringServer() {
  dir = mkdtempSync(join(tmpdir(), 'pml-transport-'));
  const log = join(dir, 'fixture.log');
  const transport = new SpawnedStdioTransport({
    command: process.execPath,
    args: [WRAPPER, LINGERING],
    env: { FIXTURE_LOG: log },
    cwd: undefined,
  });
  transports.push(transport);
  let closed = false;
  transport.onclose = () => (closed = true);
  await transport.start();
  const readPid = (label: string) =>
    Number(new RegExp(`^${label} (\\d+)$`, 'm').exec(existsSync(log) ? readFileSync(log, 'utf8') : '')?.[1]);
  await waitFor(() => readPid('wrapper') > 0 && readPid('pid') > 0);
  const pids = { wrapper: readPid('wrapper'), server: readPid('pid') };
  startedPids.push(pids.wrapper, pids.server);
  return { transport, pids, isClosed: () => closed };
}

describe('SpawnedStdioTransport', () => {
  it('close() stops the wrapper and the server under it that ignores SIGTERM', async () => {
    const { transport, pids, isClosed } = await startWrappedLingeringServer();
    const groupsBefore = countLiveChildren();
    await transport.close();
    expect(isAlive(pids.wrapper)).toBe(false);
    expect(isAlive(pids.server)).toBe(false);
    expect(transport.exit).toEqual({ code: null, signal: 'SIGTERM' });
    expect(isClosed()).toBe(true);
    expect(countLiveChildren()).toBe(groupsBefore - 1);
  });

  it('stops what a wrapper leaves behind when the wrapper exits by itself', async () => {
    const { transport, pids, isClosed } = await startWrappedLingeringServer();
    // The wrapper dies alone (as npm exec does on a signal meant for it); the server holds the pipes.
    process.kill(pids.wrapper, 'SIGTERM');
    await waitFor(isClosed);
    expect(transport.exit).toEqual({ code: null, signal: 'SIGTERM' });
    expect(isAlive(pids.server)).toBe(false);
  });
});
