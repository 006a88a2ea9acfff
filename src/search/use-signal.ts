// Learning from use: a search followed by a call of one of its hits says "for words like these, this
// tool". Each such use lifts the tool for later queries similar enough to the one that led to it
// (cosine of the two query vectors; shared rare words when one has none). Bounded and in memory;
// the caller keeps the uses in storage and hands them back at start.
import { dot } from './vector-store.js';

/** Uses kept; past this the oldest are forgotten. */
export const MAX_USES = 2_000;

export interface UseRecord {
  query: string;
  terms: string[];
  toolName: string;
  count: number;
  vector?: Float32Array | undefined;
}

export interface UseLog {
  readonly size: number;
  /** Adds one use (or counts it again); returns the record, so its vector can be filled in later. */
  add(query: string, terms: string[], toolName: string, count?: number): UseRecord;
  /** Records still without a query vector. */
  withoutVectors(): UseRecord[];
  /** Boost in [0, 1] per tool name, for a query with these terms and (when known) this vector. */
  toBoosts(terms: string[], vector: Float32Array | undefined, match: UseMatch): Map<string, number>;
}

export interface UseMatch {
  minSimilarity: number;
  /** Weight of a term (its rarity in the catalog), for comparing by words when a vector is missing. */
  weightOf: (term: string) => number;
}

export function createUseLog(maxUses = MAX_USES): UseLog {
  // Insertion order is age order: re-adding a pair moves it to the end.
  const records = new Map<string, UseRecord>();
  return {
    get size() {
      return records.size;
    },
    add(query, terms, toolName, count = 1) {
      const key = `${toolName}\u0000${query}`;
      const known = records.get(key);
      const record = known ?? { query, terms, toolName, count: 0 };
      record.count += count;
      records.delete(key);
      records.set(key, record);
      while (records.size > maxUses) records.delete(records.keys().next().value!);
      return record;
    },
    withoutVectors: () => [...records.values()].filter((record) => !record.vector),
    toBoosts(terms, vector, match) {
      const boosts = new Map<string, number>();
      const { minSimilarity } = match;
      for (const record of records.values()) {
        // Cosine when both queries have vectors; comparing by shared rare words instead (or as well)
        // measured no better: a rewording that matters is one that changes the words.
        const similarity =
          vector && record.vector
            ? dot(vector, record.vector)
            : toSharedWeight(terms, record.terms, match.weightOf);
        if (similarity < minSimilarity) continue;
        // 1 use → 0.5 of the full lift at a perfect match, 2 → 0.75, 3 → 0.875, ...
        const strength =
          ((similarity - minSimilarity) / (1 - minSimilarity || 1)) * (1 - 0.5 ** record.count);
        boosts.set(record.toolName, Math.max(boosts.get(record.toolName) ?? 0, Math.min(1, strength)));
      }
      return boosts;
    },
  };
}

/**
 * The share of the query's weight (each term weighted by its rarity) that the earlier query also
 * said: 1 when it said every term, near 0 when it shared only common words like "get" or "list".
 */
export function toSharedWeight(
  query: string[],
  earlier: string[],
  weightOf: (term: string) => number,
): number {
  const said = new Set(earlier);
  let total = 0;
  let shared = 0;
  for (const term of new Set(query)) {
    const weight = weightOf(term);
    total += weight;
    if (said.has(term)) shared += weight;
  }
  return total > 0 ? shared / total : 0;
}
