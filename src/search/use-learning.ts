// Learning from use inside one ToolSearch: the use log, the vectors of its queries (embedded in the
// background, through the embedding cache, when a use arrives without one) and the boost per tool
// for a search. The ranking weight is applied in score-fusion.ts.
import { toErrorMessage } from '../errors/index.js';
import type { Logger } from '../shared/logger.js';
import type { CatalogIndex } from './catalog-index.js';
import { toTerms } from './terms.js';
import { toTextHash } from './tool-documents.js';
import type { Embedder, EmbeddingCache, ToolUse } from './types.js';
import { createUseLog } from './use-signal.js';

export interface UseLearning {
  readonly size: number;
  record(query: string, toolName: string, vector: Float32Array | undefined): void;
  /** Embeds the queries of uses that have no vector yet. */
  embedPending(signal: AbortSignal): Promise<void>;
  /** Per tool position, the lift from recorded uses for this query (undefined when none applies). */
  toBoosts(
    index: CatalogIndex,
    terms: string[],
    vector: Float32Array | undefined,
    minSimilarity: number,
  ): Float64Array | undefined;
}

export interface UseLearningDeps {
  embedder?: Embedder | undefined;
  cache?: EmbeddingCache | undefined;
  logger: Logger;
  uses?: ToolUse[] | undefined;
  /** Settles when the current indexing does: query embeddings wait for it rather than compete. */
  whenIndexed: () => Promise<void>;
  isClosed: () => boolean;
}

export function createUseLearning(deps: UseLearningDeps): UseLearning {
  const { embedder, cache } = deps;
  const log = createUseLog();
  for (const use of deps.uses ?? []) {
    const query = use.query.trim();
    if (query !== '') log.add(query, toTerms(query), use.toolName, use.count ?? 1);
  }

  const embedPending = async (signal: AbortSignal) => {
    const pending = log.withoutVectors();
    if (!embedder || pending.length === 0 || signal.aborted) return;
    const hashes = pending.map((record) => toTextHash(record.query));
    const cached = cache
      ? await cache.get(embedder.model, hashes).catch(() => new Map<string, Float32Array>())
      : new Map<string, Float32Array>();
    const missing = pending.filter((_, i) => !cached.has(hashes[i]!));
    const vectors =
      missing.length > 0
        ? await embedder.embed(
            missing.map((record) => record.query),
            { signal },
          )
        : [];
    pending.forEach((record, i) => (record.vector = cached.get(hashes[i]!)));
    missing.forEach((record, i) => (record.vector = vectors[i]));
    const fresh = missing.map((record, i) => ({ textHash: toTextHash(record.query), vector: vectors[i]! }));
    if (cache && fresh.length > 0) await cache.put(embedder.model, fresh).catch(() => {});
  };

  let scheduled: Promise<void> | undefined;
  const schedule = () => {
    if (!embedder || deps.isClosed() || scheduled) return;
    scheduled = (async () => {
      await deps.whenIndexed();
      await new Promise((resolve) => setImmediate(resolve)); // gather the uses recorded in one go
      if (!deps.isClosed()) await embedPending(new AbortController().signal);
    })()
      .catch((error: unknown) =>
        deps.logger.debug(`search: could not embed the queries of past uses: ${toErrorMessage(error)}`),
      )
      .finally(() => (scheduled = undefined));
  };

  return {
    get size() {
      return log.size;
    },
    record(query, toolName, vector) {
      const record = log.add(query, toTerms(query), toolName);
      record.vector ??= vector;
      if (!record.vector) schedule();
    },
    embedPending,
    toBoosts(index, terms, vector, minSimilarity) {
      const boosts = log.toBoosts(terms, vector, { minSimilarity, weightOf: index.idf });
      if (boosts.size === 0) return undefined;
      const perTool = new Float64Array(index.tools.length);
      for (const [name, boost] of boosts) {
        const position = index.positionOf.get(name);
        if (position !== undefined) perTool[position] = boost;
      }
      return perTool;
    },
  };
}
