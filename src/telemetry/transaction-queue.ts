// Finished transactions wait here and leave in batches, off the request's path: building, scrubbing
// and serialising one is ~0.1–0.2 ms of CPU, which would otherwise delay the answer it describes
// (the SDK itself defers a transaction by a millisecond for the same reason).

// Long enough to gather several transactions under load, short enough that Spotlight shows a
// request while you look at it.
const FLUSH_DELAY_MS = 20;
const MAX_QUEUED = 100;

export interface TransactionQueue<T> {
  push(item: T): void;
  /** Sends what waits now (before shutdown). */
  flush(): void;
}

export function createTransactionQueue<T>(send: (item: T) => void): TransactionQueue<T> {
  let queued: T[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const batch = queued;
    queued = [];
    for (const item of batch) send(item);
  };
  return {
    push(item) {
      queued.push(item);
      if (queued.length >= MAX_QUEUED) flush();
      else timer ??= setTimeout(flush, FLUSH_DELAY_MS).unref();
    },
    flush,
  };
}
