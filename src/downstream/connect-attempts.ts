// When a connection tries to connect again, and how many tries are in flight: one at a time, shared
// by everyone who needs it (ten calls that find a session lost get one new session, not ten). After a
// crash, backoff that doubles and gives up after `maxAttempts` (a process that keeps exiting will not
// start working by itself); while an HTTP server is unreachable, backoff that never gives up, and a
// call tries too (starting an attempt at most every DOWN_RETRY_MIN_INTERVAL_MS).
import { toBackoffDelayMs } from './backoff.js';

export interface RestartPolicy {
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  stableAfterMs: number;
}

// While a server is down, calls start an attempt no more often than this: a steady load finds it
// back within this long of its return, without a connect per call.
export const DOWN_RETRY_MIN_INTERVAL_MS = 20;

export class ConnectAttempts {
  /** Times pml started the server again (crash restarts, lost sessions, background retries). */
  restarts = 0;
  lastRestartAtMs = 0;
  /** Failures in a row since the server last stayed up `stableAfterMs`; sets the backoff. */
  failuresInARow = 0;
  private current: Promise<boolean> | undefined;
  private lastEndedMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly policy: RestartPolicy,
    private readonly connectOnce: () => Promise<boolean>,
  ) {}

  /** The attempt in flight, if any. */
  get inFlight(): Promise<boolean> | undefined {
    return this.current;
  }

  /** One attempt, shared by everyone who asks while it runs. Resolves true when connected. */
  connect(): Promise<boolean> {
    this.current ??= this.connectOnce().finally(() => {
      this.current = undefined;
      this.lastEndedMs = Date.now();
    });
    return this.current;
  }

  /** Starts again now, counted as a restart. */
  restartNow(): Promise<boolean> {
    this.restarts++;
    this.lastRestartAtMs = Date.now();
    return this.connect();
  }

  /**
   * After a crash or a failed start: the delay before the next attempt, or undefined when pml gives
   * up. A server that had stayed up `stableAfterMs` starts counting again.
   */
  afterCrash(connectedAtMs: number): number | undefined {
    const wasStable = connectedAtMs > 0 && Date.now() - connectedAtMs >= this.policy.stableAfterMs;
    this.failuresInARow = wasStable ? 1 : this.failuresInARow + 1;
    if (this.failuresInARow > this.policy.maxAttempts) return undefined;
    return toBackoffDelayMs(this.failuresInARow, this.policy);
  }

  /** While unreachable: the delay before the next background attempt. It never gives up. */
  afterUnreachable(): number {
    this.failuresInARow++;
    return toBackoffDelayMs(this.failuresInARow, this.policy);
  }

  /** Restarts after `delayMs`, replacing any restart already planned. */
  later(delayMs: number): void {
    clearTimeout(this.timer);
    if (this.closed) return;
    this.timer = setTimeout(() => void this.restartNow(), delayMs);
    this.timer.unref();
  }

  /** A connect that succeeded by other means makes a planned restart moot. */
  cancelPlanned(): void {
    clearTimeout(this.timer);
  }

  /**
   * A call to a server that is down tries to reach it rather than fail on old news: it joins the
   * attempt in flight, and if that one failed (it began before the call came; the server may be back
   * since) or none was in flight, it makes one more, shared, waiting out what is left of
   * DOWN_RETRY_MIN_INTERVAL_MS first. Resolves true when connected.
   */
  async tryForCall(): Promise<boolean> {
    if (this.current && (await this.current)) return true;
    const waitMs = this.lastEndedMs + DOWN_RETRY_MIN_INTERVAL_MS - Date.now();
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    if (this.closed) return false;
    this.lastRestartAtMs = Date.now();
    return this.connect();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }
}
