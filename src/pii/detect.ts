// Finds PII in one string: runs the pattern table, validates each hit, then keeps a single
// winner wherever hits overlap (earlier table entry first, longer span second).

import { PII_PATTERNS } from './patterns.js';
import type { PiiMatch } from './types.js';

interface Candidate extends PiiMatch {
  /** The whole regex hit, context included (`Bearer `, `https://`); overlaps are judged on it. */
  readonly spanStart: number;
  readonly spanEnd: number;
  readonly rank: number;
}

// Every pattern needs a digit, `@`, `:`, `_`, `-` or one of these literals, and at least six
// characters (`a@b.co`, `1::2:3`), so anything failing this one test cannot contain a match.
const QUICK_HINT = /[\d@:_-]|akia|asia|aiza|eyj|bearer|secret/i;
const MIN_LENGTH = 6;

/** Sound pre-check: false means no pattern can match, true means "look closer". */
export function mayContainPii(text: string): boolean {
  return text.length >= MIN_LENGTH && QUICK_HINT.test(text);
}

/** Like `detectPii` but lets failures surface, so the scrubber can fail closed. */
export function findPii(text: string): PiiMatch[] {
  if (!mayContainPii(text)) return [];
  const kept = keepBestMatches(collectCandidates(text));
  return kept.map(({ kind, start, end }) => ({ kind, start, end }));
}

/** Non-overlapping PII spans in `text`, sorted by position. Never throws; never returns values. */
export function detectPii(text: string): PiiMatch[] {
  if (typeof text !== 'string') return [];
  try {
    return findPii(text);
  } catch {
    return [];
  }
}

function collectCandidates(text: string): Candidate[] {
  const candidates: Candidate[] = [];
  PII_PATTERNS.forEach((pattern, rank) => {
    if (!pattern.hint(text)) return;
    for (const match of text.matchAll(pattern.regex)) {
      const spanStart = match.index;
      const spanEnd = spanStart + match[0].length;
      const secret = pattern.secretGroup === undefined ? undefined : match.indices?.[pattern.secretGroup];
      const [start, end] = secret ?? [spanStart, spanEnd];
      if (pattern.validate && !pattern.validate(text.slice(start, end))) continue;
      candidates.push({ kind: pattern.kind, start, end, spanStart, spanEnd, rank });
    }
  });
  return candidates;
}

// One left-to-right sweep: each candidate only competes with the last one kept, because
// everything kept before that ends before the last one starts.
function keepBestMatches(candidates: Candidate[]): Candidate[] {
  candidates.sort((a, b) => a.spanStart - b.spanStart || b.spanEnd - a.spanEnd);
  const kept: Candidate[] = [];
  for (const candidate of candidates) {
    const last = kept[kept.length - 1];
    if (last === undefined || candidate.spanStart >= last.spanEnd) kept.push(candidate);
    else if (isBetterMatch(candidate, last)) kept[kept.length - 1] = candidate;
  }
  return kept;
}

function isBetterMatch(a: Candidate, b: Candidate): boolean {
  if (a.rank !== b.rank) return a.rank < b.rank;
  return a.spanEnd - a.spanStart > b.spanEnd - b.spanStart;
}
