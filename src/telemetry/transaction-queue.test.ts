import { describe, expect, it } from 'vitest';
import { createTransactionQueue } from './transaction-queue.js';

describe('createTransactionQueue', () => {
  it('sends nothing while the request path runs, then everything on the next flush', async () => {
    const sent: number[] = [];
    const queue = createTransactionQueue<number>((item) => sent.push(item));
    queue.push(1);
    queue.push(2);
    expect(sent).toEqual([]);
    await new Promise<void>((resolve) => {
      const check = () => (sent.length === 2 ? resolve() : setImmediate(check));
      check();
    });
    expect(sent).toEqual([1, 2]);
  });

  it('flushes at once when asked (shutdown) and when the batch is full', () => {
    const sent: number[] = [];
    const queue = createTransactionQueue<number>((item) => sent.push(item));
    queue.push(1);
    queue.flush();
    expect(sent).toEqual([1]);
    for (let i = 0; i < 100; i++) queue.push(i);
    expect(sent).toHaveLength(101);
  });
});
