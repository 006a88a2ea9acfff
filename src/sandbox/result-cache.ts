// Results of code runs that called no tool or only read-only ones, for an identical run: same code,
// same context, same schemas of the tools the code could reach (a changed tool changes the key).
// Bounded in entries (least recently used go first) and in age, since a read-only tool's answer
// can change under it (a file edited meanwhile).
import { createHash } from 'node:crypto';
import { toCanonicalJson } from '../shared/canonical-json.js';

/** How long a cached result stands: long enough for an agent's retries, short enough to stay fresh. */
export const RESULT_CACHE_TTL_MS = 60_000;

export function toCacheKey(
  code: string,
  context: Record<string, unknown> | undefined,
  toolsFingerprint: string,
): string {
  return createHash('sha256')
    .update(code)
    .update('\0')
    .update(toCanonicalJson(context ?? {}))
    .update('\0')
    .update(toolsFingerprint)
    .digest('hex');
}

export class ResultCache<Value> {
  private readonly entries = new Map<string, { value: Value; storedAtMs: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs = RESULT_CACHE_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): Value | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (this.now() - entry.storedAtMs > this.ttlMs) return undefined;
    this.entries.set(key, entry); // most recently used last
    return entry.value;
  }

  set(key: string, value: Value): void {
    if (this.maxEntries === 0) return;
    this.entries.delete(key);
    this.entries.set(key, { value, storedAtMs: this.now() });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}
