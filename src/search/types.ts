// The ports and shapes of tool search: the Embedder and EmbeddingCache ports (each with real
// implementations beside it), the tools it ranks, the hits it returns and the ToolSearch itself.
import type { Logger } from '../shared/logger.js';
import type { RequestScope, Telemetry } from '../telemetry/index.js';
import type { RankingOptions } from './ranking-options.js';

export interface Embedder {
  /** Names the model and where it runs, e.g. `use-lite` or `openai:nomic-embed-text@localhost:11434`. */
  readonly model: string;
  /** One unit-normalised vector per text, in order. */
  embed(texts: string[], options?: { signal?: AbortSignal }): Promise<Float32Array[]>;
}

/** Where vectors are kept across restarts (storage implements it; createMemoryEmbeddingCache for tests and the bench). */
export interface EmbeddingCache {
  get(model: string, textHashes: string[]): Promise<Map<string, Float32Array>>;
  put(model: string, entries: { textHash: string; vector: Float32Array }[]): Promise<void>;
}

export interface SearchableTool {
  /** The name clients see, e.g. `filesystem__read_text_file`. */
  name: string;
  serverId: string;
  description?: string | undefined;
  inputSchema: Record<string, unknown>;
}

export interface SearchHit {
  name: string;
  serverId: string;
  /** The fused score, higher is better; comparable within one answer, not across queries. */
  score: number;
  description?: string;
  inputSchema: Record<string, unknown>;
}

/** A search followed by a call of one of its hits; the caller keeps these (storage) and hands them back at start. */
export interface ToolUse {
  query: string;
  toolName: string;
  /** How many times this pair was seen (default 1). */
  count?: number;
}

export interface ToolSearchStatus {
  tools: number;
  /** Tools of the current catalog that have their vector. */
  embedded: number;
  model?: string;
  /** True while searches answer without the embedder: none configured, it failed, or vectors are still being computed. */
  lexicalOnly: boolean;
  /** Vectors are being computed in the background. */
  indexing: boolean;
  /** Why the embedder is not used, when it failed. */
  embedderError?: string;
  /** Uses learned from (recorded, or handed over at start) that still count. */
  uses: number;
  /** The last finished indexing: vectors reused from memory, read from the cache, computed; and its wall time. */
  lastIndexing?: { fromMemory: number; fromCache: number; embedded: number; ms: number };
}

export interface ToolSearchDeps {
  embedder?: Embedder | undefined;
  cache?: EmbeddingCache | undefined;
  telemetry?: Telemetry | undefined;
  logger?: Logger | undefined;
  /** Uses recorded before this start (from storage), applied as if recordUse had been called for each. */
  uses?: ToolUse[] | undefined;
  /** Ranking knobs; every one has a measured default (see ranking-options.ts). */
  ranking?: Partial<RankingOptions> | undefined;
}

export interface SearchOptions {
  /**
   * Most hits to return, clamped to [1, MAX_LIMIT]; DEFAULT_LIMIT when absent. Tools that match
   * neither by words nor by meaning (fused score 0) are left out, so fewer may come back.
   */
  limit?: number | undefined;
  /** The request this search serves: its spans nest under it. */
  scope?: RequestScope | undefined;
}

export interface ToolSearch {
  /**
   * Replaces the catalog. The lexical index is rebuilt at once (search works lexically right away);
   * embeddings of new or changed tool texts are computed in the background (cache first), with
   * progress on the logger (stderr).
   */
  setTools(tools: SearchableTool[]): void;
  /** Resolves when every current tool has its vector (or the embedder failed: then lexical only, logged once). */
  whenIndexed(): Promise<void>;
  search(query: string, options?: SearchOptions): Promise<SearchHit[]>;
  /** A search followed by a call of one of its hits: lifts that tool for similar queries from now on. */
  recordUse(query: string, toolName: string): void;
  status(): ToolSearchStatus;
  /** Stops background indexing; searches still answer lexically. Idempotent. */
  close(): void;
}
