import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
// Zombie-aware: a killed process waits for pid 1 to reap it, which may take seconds here.
import { isAlive } from '../../test/helpers/processes.js';
import { isGroupAlive, signalGroup, stopGroup } from './process-group.js';

// A group leader that starts a child ignoring SIGTERM, then prints the child's pid once the child
// has said it is ready (its SIGTERM handler is in place).
const LEADER = `
const { spawn } = require('node:child_process');
const child = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1 << 30); console.log('ready')"], { stdio: ['ignore', 'pipe', 'inherit'] });
child.stdout.once('data', () => console.log(child.pid));
setInterval(() => {}, 1 << 30);
`;

const groups: number[] = [];
afterEach(() => {
  for (const pgid of groups.splice(0)) signalGroup(pgid, 'SIGKILL');
});

async function startGroup(): Promise<{ pgid: number; childPid: number }> {
  const leader = spawn(process.execPath, ['-e', LEADER], {
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  groups.push(leader.pid!);
  const [line] = (await once(leader.stdout, 'data')) as [Buffer];
  return { pgid: leader.pid!, childPid: Number(line.toString().trim()) };
}

describe('stopGroup', () => {
  it('stops the leader with SIGTERM and kills the child that ignores it after the grace', async () => {
    const { pgid, childPid } = await startGroup();
    expect(isGroupAlive(pgid)).toBe(true);
    expect(await stopGroup(pgid, { termSentAtMs: undefined, graceMs: 100, killSettleMs: 2_000 })).toBe(true);
    expect(isGroupAlive(pgid)).toBe(false);
    expect(isAlive(childPid)).toBe(false);
  });

  it('counts a group whose processes were killed as gone, zombies or not', async () => {
    const { pgid, childPid } = await startGroup();
    signalGroup(pgid, 'SIGKILL');
    expect(await stopGroup(pgid, { termSentAtMs: undefined, graceMs: 100, killSettleMs: 2_000 })).toBe(true);
    expect(isAlive(childPid)).toBe(false);
  });
});
