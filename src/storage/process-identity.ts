// Who holds a lock, and whether that process still runs. A pid alone is not enough: after a reboot,
// or in a container where pml is always pid 1, the same number names another process. On Linux the
// boot id and the process's start time (in clock ticks since boot, immune to clock changes) tell.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface ProcessIdentity {
  pid: number;
  hostname: string;
  /** For people: when the process started. */
  startedAt: string;
  /** Linux only: /proc/sys/kernel/random/boot_id and the process's start time in ticks. */
  bootId?: string | undefined;
  startTicks?: number | undefined;
}

export type Liveness = 'alive' | 'dead' | 'unknown';

export function readOwnIdentity(): ProcessIdentity {
  return {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date(Date.now() - process.uptime() * 1000).toISOString(),
    bootId: readBootId(),
    startTicks: readProcessStat(process.pid)?.startTicks,
  };
}

/** Whether the process `holder` names still runs: `unknown` when it ran on another host. */
export function resolveLiveness(holder: ProcessIdentity, own: ProcessIdentity): Liveness {
  if (holder.hostname !== own.hostname) return 'unknown';
  if (holder.bootId && own.bootId && holder.bootId !== own.bootId) return 'dead';
  // Our pid: this very process (the same start), or an earlier run that had it (pid 1 in a container).
  if (holder.pid === own.pid) return isSameStart(holder, own) ? 'alive' : 'dead';
  if (!isPidRunning(holder.pid)) return 'dead';
  const stat = readProcessStat(holder.pid);
  if (stat?.state === 'Z') return 'dead';
  if (holder.startTicks !== undefined && stat && stat.startTicks !== holder.startTicks) return 'dead';
  return 'alive';
}

// startedAt is derived from the clock and the uptime, so two readings in one process differ by a few ms.
const START_TIME_TOLERANCE_MS = 1_000;

function isSameStart(holder: ProcessIdentity, own: ProcessIdentity): boolean {
  if (holder.startTicks !== undefined && own.startTicks !== undefined)
    return holder.startTicks === own.startTicks;
  return Math.abs(Date.parse(holder.startedAt) - Date.parse(own.startedAt)) < START_TIME_TOLERANCE_MS;
}

function isPidRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function readProcessStat(pid: number): { state: string; startTicks: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces; the fields after it are fixed:
    // state is field 3, starttime field 22 (so 0 and 19 counted from the state).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const startTicks = Number(fields[19]);
    return Number.isFinite(startTicks) ? { state: fields[0] ?? '', startTicks } : undefined;
  } catch {
    return undefined;
  }
}
