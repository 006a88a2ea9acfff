// The bounds of a search: how many hits a caller may ask for and how much text reaches the index
// and the embedder. Out-of-range `limit`s are clamped, never refused; an empty query is refused.
import { VectorSearchError } from '../errors/index.js';

/** Hits returned when the caller names no limit. */
export const DEFAULT_LIMIT = 10;
/** The most hits one search returns; larger limits are clamped to it (a client asking for 10^6 gets 50). */
export const MAX_LIMIT = 50;
/**
 * Characters of a query kept for ranking; the rest is dropped before the lexical index or the
 * embedder sees it. USE-lite's tokenizer is quadratic in text length (10 KB took 66 ms here, so
 * 100 KB would take seconds); 1,000 characters is far beyond any request in words.
 */
export const MAX_QUERY_CHARS = 1_000;

/** `limit` clamped to [1, MAX_LIMIT]; a missing or non-numeric one gives DEFAULT_LIMIT, a fraction is floored. */
export function resolveLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_LIMIT;
  return Math.min(MAX_LIMIT, Math.max(1, Math.floor(limit)));
}

/** The query as ranked: trimmed and cut at MAX_QUERY_CHARS. Throws when nothing but whitespace is left. */
export function toBoundedQuery(query: string): string {
  const trimmed = typeof query === 'string' ? query.trim() : '';
  if (trimmed === '') {
    throw new VectorSearchError('query must not be empty: say in words what the tool should do', {
      stage: 'query',
      queryLength: typeof query === 'string' ? query.length : 0,
    });
  }
  return trimmed.length > MAX_QUERY_CHARS ? trimmed.slice(0, MAX_QUERY_CHARS) : trimmed;
}
