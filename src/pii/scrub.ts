// Rewrites a string with every PII span replaced by `[Filtered:<kind>]`, counting kinds as it goes.

import { findPii, mayContainPii } from './detect.js';
import type { PiiCounts, PiiKind } from './types.js';

/** What a string becomes if detection itself fails: losing a log line beats leaking a secret. */
export const FILTERED = '[Filtered]';

export function toFilteredLabel(kind: PiiKind): string {
  return `[Filtered:${kind}]`;
}

/**
 * Replaces each PII span with `[Filtered:<kind>]`. Only the secret part goes for contextual kinds:
 * `Bearer [Filtered:bearer]`, `https://[Filtered:url_credentials]@host`. When `counts` is given it
 * is incremented per kind. Returns `text` itself (same reference) when nothing was found.
 */
export function scrubString(text: string, counts?: PiiCounts): string {
  if (typeof text !== 'string' || !mayContainPii(text)) return text;
  try {
    const matches = findPii(text);
    if (matches.length === 0) return text;
    let scrubbed = '';
    let cursor = 0;
    for (const { kind, start, end } of matches) {
      scrubbed += text.slice(cursor, start) + toFilteredLabel(kind);
      cursor = end;
      if (counts) counts[kind] = (counts[kind] ?? 0) + 1;
    }
    return scrubbed + text.slice(cursor);
  } catch {
    return FILTERED;
  }
}
