import { describe, expect, it } from 'vitest';
import { ConcurrencyLimiter } from './concurrency-limiter.js';

describe('ConcurrencyLimiter', () => {
  it('lets at most its limit hold a slot, and hands freed slots on in order', async () => {
    const limiter = new ConcurrencyLimiter(2);
    const signal = new AbortController().signal;
    const first = await limiter.acquire(signal);
    await limiter.acquire(signal);
    const order: string[] = [];
    const third = limiter.acquire(signal).then((release) => (order.push('third'), release));
    const fourth = limiter.acquire(signal).then((release) => (order.push('fourth'), release));
    await Promise.resolve();
    expect(order).toEqual([]);
    first();
    first(); // a second release of the same slot frees nothing
    await third;
    expect(order).toEqual(['third']);
    (await third)();
    await fourth;
    expect(order).toEqual(['third', 'fourth']);
  });

  it('drops a waiter whose signal aborts, so it never takes a slot', async () => {
    const limiter = new ConcurrencyLimiter(1);
    const release = await limiter.acquire(new AbortController().signal);
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    release();
    const next = await limiter.acquire(new AbortController().signal);
    expect(next).toBeTypeOf('function');
  });
});
