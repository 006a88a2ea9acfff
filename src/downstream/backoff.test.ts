import { describe, expect, it } from 'vitest';
import { toBackoffDelayMs } from './backoff.js';

describe('toBackoffDelayMs', () => {
  it('doubles from the initial delay and stops at the cap', () => {
    const policy = { initialDelayMs: 500, maxDelayMs: 3_000 };
    expect([1, 2, 3, 4, 5].map((attempt) => toBackoffDelayMs(attempt, policy))).toEqual([
      500, 1_000, 2_000, 3_000, 3_000,
    ]);
  });
});
