// Deep, non-mutating scrub of JSON-like values (event payloads, span data, breadcrumbs, contexts).
// Only values are scrubbed: object keys are kept verbatim, since rewriting them could merge two
// entries into one, and telemetry rarely uses personal data as a key.

import { FILTERED, scrubString } from './scrub.js';
import { isSensitiveKey, toKeyName } from './sensitive-keys.js';
import type { PiiCounts } from './types.js';

export const CIRCULAR = '[Circular]';
export const TRUNCATED = '[Truncated]';
export const UNREADABLE = '[Unreadable]';
const DEFAULT_MAX_DEPTH = 12;

export interface ScrubValueOptions {
  /** Incremented per PII kind found in strings (not for values dropped by key name). */
  counts?: PiiCounts;
  /** Containers nested deeper than this (the root is depth 0) become `[Truncated]`. Default 12. */
  maxDepth?: number;
  /** Extra key names whose values are always dropped, added to the built-in list; whole-key match. */
  sensitiveKeys?: readonly string[];
  /**
   * Remembers scrubbed strings and key verdicts across calls, for payloads that repeat the same
   * values (span names, tool names, attribute keys). Not used while `counts` is asked for, since
   * every occurrence must then be counted.
   */
  memo?: ScrubMemo;
}

/** A bounded cache of scrub results; create one per kind of payload with `createScrubMemo`. */
export interface ScrubMemo {
  readonly strings: Map<string, string>;
  readonly keys: Map<string, boolean>;
  readonly maxEntries: number;
}

// Repeated values are few (names, ids of servers and tools); ids that never repeat only cost the
// occasional clear.
const DEFAULT_MEMO_ENTRIES = 2_000;

export function createScrubMemo(maxEntries = DEFAULT_MEMO_ENTRIES): ScrubMemo {
  return { strings: new Map(), keys: new Map(), maxEntries };
}

interface Walk {
  readonly counts: PiiCounts | undefined;
  readonly memo: ScrubMemo | undefined;
  readonly maxDepth: number;
  readonly extraNames: ReadonlySet<string>;
  /** Original container → its copy, or IN_PROGRESS while its children are being walked. */
  readonly copies: WeakMap<object, unknown>;
}

const IN_PROGRESS = Symbol('in-progress');

/**
 * Returns a scrubbed copy of `value`: strings go through `scrubString`, values under sensitive
 * keys become `[Filtered]` (null and undefined are kept: they reveal nothing and help debugging),
 * cycles become `[Circular]`, and shared references stay shared in the copy. Numbers, booleans,
 * null, Dates, typed arrays, Maps and Sets are returned as they are. The input is never mutated.
 * The static type is kept for convenience, though a filtered leaf is a string whatever it was.
 */
export function scrubValue<T>(value: T, options: ScrubValueOptions = {}): T {
  const { counts, maxDepth, sensitiveKeys = [] } = options;
  const walk: Walk = {
    counts,
    memo: counts === undefined && sensitiveKeys.length === 0 ? options.memo : undefined,
    maxDepth: typeof maxDepth === 'number' && maxDepth >= 0 ? maxDepth : DEFAULT_MAX_DEPTH,
    extraNames: new Set(sensitiveKeys.map(toKeyName)),
    copies: new WeakMap(),
  };
  try {
    return scrubAny(value, 0, walk) as T;
  } catch {
    // Only reachable on exhaustion (e.g. a stack overflow with an unbounded maxDepth).
    return FILTERED as T;
  }
}

function scrubAny(value: unknown, depth: number, walk: Walk): unknown {
  if (typeof value === 'string')
    return walk.memo
      ? remember(walk.memo.strings, walk.memo, value, scrubString)
      : scrubString(value, walk.counts);
  if (typeof value !== 'object' || value === null) return value;
  const known = walk.copies.get(value);
  if (known === IN_PROGRESS) return CIRCULAR;
  if (known !== undefined) return known;
  walk.copies.set(value, IN_PROGRESS);
  let copy: unknown;
  try {
    copy = scrubContainer(value, depth, walk);
  } catch {
    // A throwing Proxy trap or getter-backed iterator: the container is unreadable as a whole.
    copy = UNREADABLE;
  }
  // A truncated copy is not reused: the same object may come back at a shallower depth.
  if (copy === TRUNCATED) walk.copies.delete(value);
  else walk.copies.set(value, copy);
  return copy;
}

function scrubContainer(value: object, depth: number, walk: Walk): unknown {
  if (isOpaque(value)) return value;
  if (depth > walk.maxDepth) return TRUNCATED;
  if (Array.isArray(value)) return value.map((item) => scrubAny(item, depth + 1, walk));
  if (value instanceof Error) return scrubError(value, depth, walk);
  return scrubObject(value, depth, walk);
}

function scrubEntry(key: string, read: () => unknown, depth: number, walk: Walk): unknown {
  let value: unknown;
  try {
    value = read();
  } catch {
    return UNREADABLE;
  }
  if (value !== null && value !== undefined && isSensitive(key, walk)) return FILTERED;
  return scrubAny(value, depth + 1, walk);
}

// Own enumerable string keys are what JSON serialisation (and so Sentry) would send.
function scrubObject(source: object, depth: number, walk: Walk): Record<string, unknown> {
  const record = source as Record<string, unknown>;
  // fromEntries defines properties, so a `__proto__` key stays data instead of a prototype swap.
  return Object.fromEntries(
    Object.keys(record).map((key) => [key, scrubEntry(key, () => record[key], depth, walk)]),
  );
}

// Errors keep their prototype and their non-enumerable `message`, `stack` and `cause`.
function scrubError(source: Error, depth: number, walk: Walk): Error {
  const copy = Object.create(Object.getPrototypeOf(source) as object | null) as Error;
  const record = source as unknown as Record<string, unknown>;
  for (const key of Object.getOwnPropertyNames(source)) {
    const enumerable = Object.getOwnPropertyDescriptor(source, key)?.enumerable ?? true;
    const value = scrubEntry(key, () => record[key], depth, walk);
    Object.defineProperty(copy, key, { value, enumerable, writable: true, configurable: true });
  }
  return copy;
}

function isSensitive(key: string, walk: Walk): boolean {
  return walk.memo
    ? remember(walk.memo.keys, walk.memo, key, (name) => isSensitiveKey(name, walk.extraNames))
    : isSensitiveKey(key, walk.extraNames);
}

function remember<V>(cache: Map<string, V>, memo: ScrubMemo, key: string, compute: (key: string) => V): V {
  const known = cache.get(key);
  if (known !== undefined) return known;
  const value = compute(key);
  if (cache.size >= memo.maxEntries) cache.clear();
  cache.set(key, value);
  return value;
}

function isOpaque(value: object): boolean {
  return (
    value instanceof Date ||
    value instanceof RegExp ||
    value instanceof Map ||
    value instanceof Set ||
    value instanceof ArrayBuffer ||
    ArrayBuffer.isView(value) ||
    value instanceof Promise
  );
}
