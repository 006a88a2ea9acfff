// Exponential backoff for restarts: initial, 2x each attempt, capped.

export interface BackoffPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
}

export function toBackoffDelayMs(attempt: number, policy: BackoffPolicy): number {
  const exponent = Math.max(0, attempt - 1);
  return Math.min(policy.initialDelayMs * 2 ** exponent, policy.maxDelayMs);
}
