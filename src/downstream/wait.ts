// Waits until a condition holds, re-checked each time a listener fires, bounded by a timeout and a signal.

export function waitForSettled(
  listeners: Set<() => void>,
  isSettled: () => boolean,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  // An aborted caller stops waiting at once, even one that arrives already aborted.
  if (isSettled() || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const finish = () => {
      listeners.delete(check);
      clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      resolve();
    };
    const check = () => {
      if (isSettled()) finish();
    };
    const timer = setTimeout(finish, timeoutMs);
    listeners.add(check);
    signal?.addEventListener('abort', finish, { once: true });
  });
}
