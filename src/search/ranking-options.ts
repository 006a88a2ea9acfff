// The knobs of hybrid ranking, resolved once into a fully-defaulted object. Each default carries the
// measurement behind it (bench/search.mjs, 1,000 tools, tune half of the queries).
export interface RankingOptions {
  /** Weight of the BM25 score, normalised to the best lexical match of the query. */
  lexicalWeight: number;
  /** Weight of the cosine similarity, normalised between the catalog's mean and its best match. */
  semanticWeight: number;
  /** Weight of the server's own relevance: the mean fused score of its best `serverTopK` tools. */
  serverWeight: number;
  serverTopK: number;
  /** Weight of the query naming the server ("... on slack"): share of the server id's words it contains. */
  serverMentionWeight: number;
  /** Weight of the verb of a tool's name meaning what the query asks (same synonym group: "wipe" ~ delete). */
  actionWeight: number;
  /** Weight of a recorded use of the tool for a similar query (see use-signal.ts). */
  useWeight: number;
  /** Similarity (cosine of the two queries, or their shared rare words) below which a use counts for nothing. */
  useMinSimilarity: number;
  /** Weight of a synonym term (synonyms.ts) against a term the query says; 0 turns synonyms off. */
  synonymWeight: number;
  /** BM25 field boosts: the tool's name words, the server's words, the description, the parameters. */
  fieldBoosts: { action: number; server: number; description: number; params: number };
  /** BM25 term-frequency saturation and length normalisation. */
  bm25: { k: number; b: number; d: number };
  /** Texts per embedder call while indexing: bigger is faster overall, but holds the event loop longer. */
  embedBatchSize: number;
  /** A query embedding that takes longer is abandoned and the search answers lexically. */
  queryEmbedTimeoutMs: number;
  /** After the embedder fails on a query, searches stay lexical this long before trying it again. */
  embedderRetryMs: number;
}

// Measured on bench/search.mjs (1,000 tools, Hit@1 / Hit@3, tune half; held-out half in brackets):
// BM25 alone 49/63 [46/60], USE-lite alone 35/52 [39/58], fused 0.5/0.5 55/70 [51/67]; + synonyms
// 0.3: 64/77 [57/75]; + the query naming the server 0.2: 65/79 [57/76]; + the verb of the tool's
// name 0.1: 66/78 [56/75]. The server's own relevance (serverWeight 0.3), BM25 parameters, field
// boosts and cosine normalisations moved the tune half by a query or two either way.
export const DEFAULT_RANKING: RankingOptions = {
  lexicalWeight: 0.5,
  semanticWeight: 0.5,
  serverWeight: 0,
  serverTopK: 3,
  serverMentionWeight: 0.2,
  actionWeight: 0.1,
  // Learning from 154 uses (the tune queries) lifted rewordings of those intents from 55% to 66% Hit@1
  // (H@3 85% to 91%) and cost the held-out half 2 queries of 168 (56.0% to 54.8%).
  useWeight: 0.5,
  useMinSimilarity: 0.5,
  synonymWeight: 0.3,
  fieldBoosts: { action: 2, server: 1, description: 1, params: 0.3 },
  bm25: { k: 1.2, b: 0.7, d: 0.5 },
  embedBatchSize: 16,
  queryEmbedTimeoutMs: 5_000,
  embedderRetryMs: 30_000,
};

export function resolveRankingOptions(options: Partial<RankingOptions> | undefined): RankingOptions {
  return {
    ...DEFAULT_RANKING,
    ...options,
    fieldBoosts: { ...DEFAULT_RANKING.fieldBoosts, ...options?.fieldBoosts },
    bm25: { ...DEFAULT_RANKING.bm25, ...options?.bm25 },
  };
}
