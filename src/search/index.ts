// Public door of tool search: semantic (embeddings) + lexical (stemmed BM25) ranking of the
// downstream tools, the Embedder and EmbeddingCache ports with their implementations, and the limits
// a caller can rely on.
export { createToolSearch } from './tool-search.js';
export { createUseLiteEmbedder } from './use-lite-embedder.js';
export { createOpenAiEmbedder, OPENAI_EMBED_TIMEOUT_MS } from './openai-embedder.js';
export type { OpenAiEmbedderOptions } from './openai-embedder.js';
export { createMemoryEmbeddingCache } from './memory-embedding-cache.js';
export { DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERY_CHARS } from './limits.js';
export { MAX_EMBEDDING_TEXT_CHARS } from './tool-documents.js';
export { DEFAULT_RANKING } from './ranking-options.js';
export type { RankingOptions } from './ranking-options.js';
export { toTerms } from './terms.js';
export type {
  Embedder,
  EmbeddingCache,
  SearchableTool,
  SearchHit,
  SearchOptions,
  ToolSearch,
  ToolSearchDeps,
  ToolSearchStatus,
  ToolUse,
} from './types.js';
