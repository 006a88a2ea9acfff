// Waits until a condition holds, checked again each time the source it depends on says it changed,
// bounded by a timeout and an abort signal: a wait for an event, never a poll.

/** Resolves with whether `isDone()` held in time (false on timeout or abort). */
export function waitUntil(
  isDone: () => boolean,
  subscribe: (check: () => void) => () => void,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<boolean> {
  if (isDone()) return Promise.resolve(true);
  if (signal?.aborted || timeoutMs <= 0) return Promise.resolve(false);
  return new Promise((resolve) => {
    const finish = (done: boolean) => {
      unsubscribe();
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
      resolve(done);
    };
    const abort = () => finish(false);
    const unsubscribe = subscribe(() => {
      if (isDone()) finish(true);
    });
    const timer = setTimeout(() => finish(isDone()), timeoutMs);
    signal?.addEventListener('abort', abort, { once: true });
  });
}
