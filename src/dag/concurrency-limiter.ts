// A counting semaphore: at most `limit` holders at once, the rest wait in order. A waiter whose
// signal aborts leaves the queue, so a cancelled workflow never takes a slot.

export class ConcurrencyLimiter {
  private active = 0;
  private readonly waiting: { grant: () => void; signal: AbortSignal; onAbort: () => void }[] = [];

  constructor(readonly limit: number) {}

  /** Resolves with a release function once a slot is free; rejects with the signal's reason on abort. */
  acquire(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve(this.toRelease());
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        signal,
        grant: () => {
          signal.removeEventListener('abort', waiter.onAbort);
          this.active++;
          resolve(this.toRelease());
        },
        onAbort: () => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          reject(signal.reason as Error);
        },
      };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private toRelease(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.waiting.shift()?.grant();
    };
  }
}
