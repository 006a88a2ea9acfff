// Signals a stdio server together with everything it started. Each server runs as the leader of its
// own process group (spawned detached, so its pgid is its pid): a signal to the group reaches `npx`,
// `npm exec`, `uvx`, a shell wrapper and the real server under them alike, where a signal to the
// child alone stops only the wrapper and leaves the server running with parent pid 1.
import { readdirSync, readFileSync } from 'node:fs';

/** Windows has no process groups: there the child itself is signalled. */
export const HAS_PROCESS_GROUPS = process.platform !== 'win32';
// How often a stopping group is looked at: a server that exits on SIGTERM is gone in a few ms.
const GROUP_POLL_MS = 20;

/** Sends `signal` (0 only asks) to every process of the group led by `pgid`; false when none is left. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(HAS_PROCESS_GROUPS ? -pgid : pgid, signal);
    return true;
  } catch (error) {
    // EPERM: a member runs as another user (a setuid helper); it is there, pml just may not signal it.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether a process of the group still runs. A zombie does not count: it has exited and closed its
 * pipes, and only waits for its new parent to reap it, which pid 1 of a container may do seconds later.
 */
export function isGroupAlive(pgid: number): boolean {
  return signalGroup(pgid, 0) && (process.platform !== 'linux' || hasRunningMember(pgid));
}

/** Linux: reads each process's state and group from /proc; without /proc, assumes one runs. */
function hasRunningMember(pgid: number): boolean {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // The command name is in parentheses and may hold spaces; the fields after it are fixed:
    // state, ppid, pgrp.
    const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(group) === pgid && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}

/** Resolves true once no process of the group is left, false if some still are after `limitMs`. */
export async function waitForGroupEnd(pgid: number, limitMs: number): Promise<boolean> {
  const deadlineMs = performance.now() + Math.max(0, limitMs);
  while (isGroupAlive(pgid)) {
    if (performance.now() >= deadlineMs) return false;
    await new Promise((resolve) => setTimeout(resolve, GROUP_POLL_MS));
  }
  return true;
}

export interface GroupStop {
  /** When SIGTERM went to the group, if it did: the grace is counted from then. */
  termSentAtMs: number | undefined;
  graceMs: number;
  /** How long SIGKILLed processes get to disappear (their new parent reaps them). */
  killSettleMs: number;
}

/**
 * Ends what is left of a group: SIGTERM (unless already sent), the rest of the grace to exit on its
 * own, then SIGKILL. Resolves true when the group is gone, false if something survived even SIGKILL
 * within `killSettleMs` (a process stuck in the kernel).
 */
export async function stopGroup(pgid: number, stop: GroupStop): Promise<boolean> {
  if (!isGroupAlive(pgid)) return true;
  const termSentAtMs = stop.termSentAtMs ?? performance.now();
  if (stop.termSentAtMs === undefined) signalGroup(pgid, 'SIGTERM');
  const graceLeftMs = stop.graceMs - (performance.now() - termSentAtMs);
  if (await waitForGroupEnd(pgid, graceLeftMs)) return true;
  signalGroup(pgid, 'SIGKILL');
  return waitForGroupEnd(pgid, stop.killSettleMs);
}
