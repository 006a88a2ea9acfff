import { describe, expect, it, vi } from 'vitest';
import { ConnectAttempts, DOWN_RETRY_MIN_INTERVAL_MS } from './connect-attempts.js';

const POLICY = { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 1_000, stableAfterMs: 60_000 };

/** A connect whose outcome the test decides, counting how many were started. */
function controlledConnect() {
  const pending: ((ok: boolean) => void)[] = [];
  const startWaiters: (() => void)[] = [];
  const connect = () =>
    new Promise<boolean>((resolve) => {
      pending.push(resolve);
      startWaiters.splice(0).forEach((wake) => wake());
    });
  return {
    connect,
    started: () => pending.length,
    settle: (ok: boolean) => pending.at(-1)!(ok),
    /** Resolves when the next connect starts. */
    nextStart: () => new Promise<void>((resolve) => startWaiters.push(resolve)),
  };
}

describe('ConnectAttempts', () => {
  it('shares one attempt among everyone who asks while it runs', async () => {
    const control = controlledConnect();
    const attempts = new ConnectAttempts(POLICY, control.connect);
    const asked = [attempts.connect(), attempts.connect(), attempts.restartNow()];
    control.settle(true);
    expect(await Promise.all(asked)).toEqual([true, true, true]);
    expect(control.started()).toBe(1);
    attempts.close();
  });

  it('backs off after crashes, doubling, and gives up past maxAttempts', () => {
    const attempts = new ConnectAttempts(POLICY, async () => true);
    expect([attempts.afterCrash(0), attempts.afterCrash(0), attempts.afterCrash(0)]).toEqual([100, 200, 400]);
    expect(attempts.afterCrash(0)).toBeUndefined();
  });

  it('never gives up on an unreachable server, and caps its backoff', () => {
    const attempts = new ConnectAttempts(POLICY, async () => true);
    const delays = Array.from({ length: 8 }, () => attempts.afterUnreachable());
    expect(delays).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000, 1_000]);
  });

  it('lets a call join the attempt in flight, then try once more if that one failed', async () => {
    const control = controlledConnect();
    const attempts = new ConnectAttempts(POLICY, control.connect);
    void attempts.connect();
    const call = attempts.tryForCall();
    const second = control.nextStart();
    control.settle(false);
    await second;
    expect(control.started()).toBe(2);
    control.settle(true);
    expect(await call).toBe(true);
  });

  it(`waits out ${DOWN_RETRY_MIN_INTERVAL_MS} ms since the last attempt before a call starts one`, async () => {
    vi.useFakeTimers();
    try {
      let started = 0;
      const attempts = new ConnectAttempts(POLICY, async () => (started++, false));
      await attempts.connect();
      const call = attempts.tryForCall();
      await vi.advanceTimersByTimeAsync(DOWN_RETRY_MIN_INTERVAL_MS - 1);
      expect(started).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(await call).toBe(false);
      expect(started).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
