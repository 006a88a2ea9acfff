// How many runs may hold a sandbox process at once; the rest wait in order, each until its own
// signal (its timeout, its cancellation) gives up.

export class RunSlots {
  private used = 0;
  private readonly waiting: { grant(): void; signal: AbortSignal }[] = [];

  constructor(private readonly max: number) {}

  get hasFree(): boolean {
    return this.used < this.max;
  }

  /** Resolves with the slot's release function; rejects with the signal's reason when it aborts first. */
  take(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) return Promise.reject(signal.reason as Error);
    if (this.used < this.max) {
      this.used += 1;
      return Promise.resolve(this.toRelease());
    }
    return new Promise((resolve, reject) => {
      const entry = {
        signal,
        grant: () => {
          signal.removeEventListener('abort', onAbort);
          resolve(this.toRelease());
        },
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(entry);
        if (index !== -1) this.waiting.splice(index, 1);
        reject(signal.reason as Error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
    });
  }

  private toRelease(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The slot passes straight to the next in line, so `used` stays as it is.
      if (next) next.grant();
      else this.used -= 1;
    };
  }
}
