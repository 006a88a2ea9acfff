// Sandbox processes started ahead: `poolSize` of them boot and wait, each for the one run it will
// serve before it is killed. A taken one is replaced once its run is over; one that dies while waiting (killed
// from outside) is replaced too; one that fails to boot is retried with a growing delay, so that a
// broken Deno does not become a fork loop.
import type { Logger } from '../../shared/logger.js';
import type { SandboxProcess } from './sandbox-process.js';

/** First retry after a failed boot; doubles per failure in a row, up to the maximum. */
const RESTART_DELAY_MS = 100;
const RESTART_DELAY_MAX_MS = 30_000;

export interface PoolStatus {
  /** Processes started and waiting for a run, booted or not. */
  warm: number;
  ready: number;
  pids: number[];
}

export interface ProcessPool {
  /**
   * A process that is ready for one run; the caller owns it from here (and kills it). `fresh`
   * skips the waiting ones: a retry after a waiting one died may find its siblings dead too.
   */
  acquire(signal: AbortSignal, options?: { fresh?: boolean }): Promise<SandboxProcess>;
  /** Resolves once `poolSize` processes are ready (at once for a pool of 0, or once closed). */
  whenWarm(): Promise<void>;
  status(): PoolStatus;
  close(): void;
}

interface Entry {
  process: SandboxProcess;
  ready: boolean;
}

export function createProcessPool(
  startProcess: () => SandboxProcess,
  poolSize: number,
  logger: Logger,
): ProcessPool {
  const warm: Entry[] = [];
  const warmWaiters: (() => void)[] = [];
  let closed = false;
  let failuresInARow = 0;
  let restartTimer: NodeJS.Timeout | undefined;

  const remove = (entry: Entry) => {
    const index = warm.indexOf(entry);
    if (index !== -1) warm.splice(index, 1);
  };
  const isWarm = () => closed || warm.filter((entry) => entry.ready).length >= poolSize;
  const notifyWarm = () => {
    if (!isWarm()) return;
    for (const resolve of warmWaiters.splice(0)) resolve();
  };

  const startOne = () => {
    const entry: Entry = { process: startProcess(), ready: false };
    warm.push(entry);
    entry.process.attach({
      // A waiting process has nothing to say; the run that takes it attaches its own listener.
      onMessage: () => entry.process.kill(),
      onEnd: () => {
        remove(entry);
        if (entry.ready) refill();
      },
    });
    entry.process.ready.then(
      () => {
        entry.ready = !entry.process.ended;
        failuresInARow = 0;
        notifyWarm();
      },
      (error: unknown) => {
        remove(entry);
        failuresInARow += 1;
        logger.warn('sandbox process failed to start', {
          error: error instanceof Error ? error.message : String(error),
          failuresInARow,
        });
        scheduleRefill();
      },
    );
  };

  const refill = () => {
    if (closed || restartTimer) return;
    while (warm.length < poolSize) startOne();
  };

  const scheduleRefill = () => {
    if (closed || restartTimer) return;
    const delayMs = Math.min(RESTART_DELAY_MAX_MS, RESTART_DELAY_MS * 2 ** (failuresInARow - 1));
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      refill();
    }, delayMs);
    restartTimer.unref();
  };

  refill();

  return {
    async acquire(signal, options) {
      const entry = options?.fresh
        ? undefined
        : (warm.find((candidate) => candidate.ready && !candidate.process.ended) ??
          warm.find((candidate) => !candidate.process.ended));
      if (entry) remove(entry);
      const process = entry ? entry.process : startProcess();
      // While another process still waits, the replacement starts once this run's process is
      // gone: booting Deno beside a run (two cores) made a warm trivial run take ~24 ms instead of
      // ~12 ms (measured p50). With none left, it starts now, for the run after this one.
      if (warm.length === 0) refill();
      else void process.whenEnded().then(refill);
      try {
        await raceAbort(process.ready, signal);
      } catch (error) {
        process.kill();
        throw error;
      }
      return process;
    },
    whenWarm: () =>
      new Promise<void>((resolve) => {
        if (isWarm()) return resolve();
        // The processes do not hold the event loop open (a waiting pool must not keep the gateway
        // alive), so whoever waits for them holds it until they are ready.
        const holdOpen = setInterval(() => {}, 60_000);
        warmWaiters.push(() => {
          clearInterval(holdOpen);
          resolve();
        });
      }),
    status: () => ({
      warm: warm.length,
      ready: warm.filter((entry) => entry.ready).length,
      pids: warm.flatMap((entry) => (entry.process.pid === undefined ? [] : [entry.process.pid])),
    }),
    close() {
      closed = true;
      clearTimeout(restartTimer);
      for (const entry of warm.splice(0)) entry.process.kill();
      notifyWarm();
    },
  };
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
