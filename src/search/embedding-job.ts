// Fills the vectors of a catalog in the background: vectors already in memory first, then the
// embedding cache, then the embedder in small batches (yielding between them, so searches and tool
// calls keep flowing), writing new vectors back to the cache. Progress goes to the logger (stderr).
import { VectorSearchError, toErrorMessage } from '../errors/index.js';
import type { Logger } from '../shared/logger.js';
import type { Telemetry } from '../telemetry/index.js';
import type { CatalogIndex } from './catalog-index.js';
import { BREADCRUMB_EMBEDDING_CACHE } from './span-names.js';
import type { Embedder, EmbeddingCache } from './types.js';

/** Progress lines at most this often while embedding (the first and the last always). */
const PROGRESS_EVERY_MS = 2_000;

export interface EmbeddingJobDeps {
  index: CatalogIndex;
  embedder: Embedder;
  cache?: EmbeddingCache | undefined;
  /** Vectors of earlier catalogs by text hash, for this model; the job adds what it computes. */
  known: Map<string, Float32Array>;
  logger: Logger;
  telemetry: Telemetry;
  batchSize: number;
  signal: AbortSignal;
}

export interface EmbeddingJobResult {
  fromMemory: number;
  fromCache: number;
  embedded: number;
}

/** Throws what the embedder throws; cache failures are logged and only cost a re-embedding. */
export async function runEmbeddingJob(deps: EmbeddingJobDeps): Promise<EmbeddingJobResult> {
  const { index, embedder, known, logger } = deps;
  const result: EmbeddingJobResult = { fromMemory: 0, fromCache: 0, embedded: 0 };
  const cacheWrite = { failed: false };
  let missing = fillFrom(index, known, (count) => (result.fromMemory += count));
  if (missing.length > 0 && deps.cache) {
    const cached = await readCache(deps, [
      ...new Set(missing.map((position) => index.docs[position]!.textHash)),
    ]);
    for (const [hash, vector] of cached) known.set(hash, vector);
    missing = fillFrom(index, known, (count) => (result.fromCache += count), missing);
    deps.telemetry.addBreadcrumb({
      category: BREADCRUMB_EMBEDDING_CACHE,
      message: 'tool embeddings looked up',
      data: { model: embedder.model, hits: result.fromCache, misses: missing.length },
    });
  }
  if (missing.length === 0) return result;

  const started = Date.now();
  let lastReport = started;
  logger.info(`search: embedding ${missing.length} tool texts with ${embedder.model}`, {
    cached: result.fromMemory + result.fromCache,
  });
  for (let from = 0; from < missing.length; from += deps.batchSize) {
    if (deps.signal.aborted) return result;
    const batch = missing.slice(from, from + deps.batchSize);
    const vectors = await embedder.embed(
      batch.map((position) => index.docs[position]!.embeddingText),
      { signal: deps.signal },
    );
    if (vectors.length !== batch.length) {
      throw new VectorSearchError(
        `the embedder returned ${vectors.length} vectors for ${batch.length} texts`,
        {
          stage: 'index',
          model: embedder.model,
        },
      );
    }
    const entries = batch.map((position, i) => ({
      textHash: index.docs[position]!.textHash,
      vector: vectors[i]!,
    }));
    for (const [i, position] of batch.entries()) {
      index.vectors.set(position, entries[i]!.vector);
      known.set(entries[i]!.textHash, entries[i]!.vector);
    }
    result.embedded += batch.length;
    await writeCache(deps, entries, cacheWrite);
    if (Date.now() - lastReport >= PROGRESS_EVERY_MS) {
      lastReport = Date.now();
      logger.info(`search: embedded ${result.embedded}/${missing.length} tool texts`);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  logger.info(
    `search: embedded ${result.embedded} tool texts in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return result;
}

/** Fills positions whose text hash is in `known`; returns the positions still missing. */
function fillFrom(
  index: CatalogIndex,
  known: Map<string, Float32Array>,
  count: (filled: number) => void,
  positions: number[] = index.docs.map((_, position) => position),
): number[] {
  const missing: number[] = [];
  let filled = 0;
  for (const position of positions) {
    const vector = known.get(index.docs[position]!.textHash);
    if (vector) {
      index.vectors.set(position, vector);
      filled++;
    } else missing.push(position);
  }
  count(filled);
  return missing;
}

async function readCache(deps: EmbeddingJobDeps, hashes: string[]): Promise<Map<string, Float32Array>> {
  try {
    return await deps.cache!.get(deps.embedder.model, hashes);
  } catch (error) {
    deps.logger.warn(
      `search: the embedding cache could not be read, embedding everything: ${toErrorMessage(error)}`,
    );
    return new Map();
  }
}

async function writeCache(
  deps: EmbeddingJobDeps,
  entries: { textHash: string; vector: Float32Array }[],
  state: { failed: boolean },
) {
  if (!deps.cache || state.failed) return;
  try {
    await deps.cache.put(deps.embedder.model, entries);
  } catch (error) {
    // Once per job: the vectors are in memory, only the next start pays for the missing cache.
    state.failed = true;
    deps.logger.warn(`search: the embedding cache could not be written: ${toErrorMessage(error)}`);
  }
}
