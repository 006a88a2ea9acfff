// The composition root of tool search: the current catalog index, the background embedding job,
// query vectors and the use log, behind the ToolSearch port. Ranking itself is score-fusion.ts.
import { toErrorMessage } from '../errors/index.js';
import { silentLogger } from '../shared/logger.js';
import { ATTR_PML_TOOLS_COUNT, noopTelemetry } from '../telemetry/index.js';
import {
  buildActionMatch,
  buildCatalogIndex,
  buildServerMention,
  type CatalogIndex,
} from './catalog-index.js';
import { runEmbeddingJob, type EmbeddingJobResult } from './embedding-job.js';
import { resolveLimit, toBoundedQuery } from './limits.js';
import { createQueryVectors } from './query-vectors.js';
import { resolveRankingOptions } from './ranking-options.js';
import { fuseScores, selectTop } from './score-fusion.js';
import {
  ATTR_QUERY_LENGTH,
  ATTR_SEARCH_LIMIT,
  ATTR_SEARCH_MODE,
  BREADCRUMB_SEARCH,
  VECTOR_SEARCH_OP,
} from './span-names.js';
import { buildSynonymWords, findSynonymGroups, toVerbGroups } from './synonyms.js';
import { toTerms } from './terms.js';
import type { SearchHit, ToolSearch, ToolSearchDeps, ToolSearchStatus } from './types.js';
import { createUseLearning } from './use-learning.js';

export function createToolSearch(deps: ToolSearchDeps = {}): ToolSearch {
  const ranking = resolveRankingOptions(deps.ranking);
  const logger = deps.logger ?? silentLogger;
  const telemetry = deps.telemetry ?? noopTelemetry;
  const { embedder, cache } = deps;
  const queryVectors = embedder
    ? createQueryVectors({
        embedder,
        logger,
        telemetry,
        timeoutMs: ranking.queryEmbedTimeoutMs,
        retryMs: ranking.embedderRetryMs,
      })
    : undefined;
  // Vectors by text hash across catalogs, so a reload re-embeds only what changed.
  const known = new Map<string, Float32Array>();
  let current: CatalogIndex = buildCatalogIndex([], ranking).index;
  let job: { abort: AbortController; done: Promise<void> } | undefined;
  let indexFailure: string | undefined;
  let lastIndexing: (EmbeddingJobResult & { ms: number }) | undefined;
  let closed = false;
  const uses = createUseLearning({
    embedder,
    cache,
    logger,
    uses: deps.uses,
    whenIndexed: async () => void (await job?.done),
    isClosed: () => closed,
  });

  const startIndexing = (index: CatalogIndex) => {
    job?.abort.abort();
    if (!embedder || closed) return;
    const abort = new AbortController();
    const started = Date.now();
    const done = runEmbeddingJob({
      index,
      embedder,
      cache,
      known,
      logger,
      telemetry,
      batchSize: ranking.embedBatchSize,
      signal: abort.signal,
    })
      .then(async (result) => {
        if (abort.signal.aborted) return;
        indexFailure = undefined;
        lastIndexing = { ...result, ms: Date.now() - started };
        // Keep only the vectors of this catalog; a tool that comes back later is in the cache.
        const inCatalog = new Set(index.docs.map((doc) => doc.textHash));
        for (const hash of known.keys()) if (!inCatalog.has(hash)) known.delete(hash);
        // Uses handed over at start get their query vectors once the tools have theirs.
        await uses.embedPending(abort.signal);
      })
      .catch((error: unknown) => {
        if (abort.signal.aborted) return;
        indexFailure = toErrorMessage(error);
        logger.warn(`search: embedding the tools failed, searching lexically only: ${indexFailure}`, {
          model: embedder.model,
        });
        telemetry.addBreadcrumb({
          category: BREADCRUMB_SEARCH,
          level: 'warning',
          message: 'embedding the tools failed, searching lexically',
          data: { model: embedder.model, error: indexFailure },
        });
      });
    job = { abort, done };
  };

  const isSemanticReady = (index: CatalogIndex) =>
    queryVectors !== undefined &&
    indexFailure === undefined &&
    index.vectors.size > 0 &&
    index.vectors.filled === index.vectors.size;

  return {
    setTools(tools) {
      const { index, duplicates } = buildCatalogIndex(tools, ranking);
      if (duplicates.length > 0)
        logger.warn('search: tools listed twice, keeping the first', { tools: duplicates.slice(0, 10) });
      current = index;
      startIndexing(index);
    },

    async whenIndexed() {
      await job?.done;
    },

    async search(query, options) {
      const text = toBoundedQuery(query);
      const limit = resolveLimit(options?.limit);
      const index = current;
      const semantic = isSemanticReady(index);
      return telemetry.traceSpan(
        {
          op: VECTOR_SEARCH_OP,
          name: 'search tools',
          attributes: {
            [ATTR_QUERY_LENGTH]: text.length,
            [ATTR_SEARCH_LIMIT]: limit,
            [ATTR_PML_TOOLS_COUNT]: index.tools.length,
            [ATTR_SEARCH_MODE]: semantic ? 'hybrid' : 'lexical',
          },
          parent: options?.scope,
        },
        async (scope) => {
          const terms = toTerms(text);
          const groups = findSynonymGroups(terms);
          const vector = semantic ? await queryVectors!.toVector(text, scope) : undefined;
          const scores = fuseScores(
            {
              lexical: index.lexical.score(
                text,
                ranking.synonymWeight > 0 ? buildSynonymWords(terms, groups) : [],
                ranking.synonymWeight,
              ),
              actionMatch: buildActionMatch(index, toVerbGroups(groups)),
              semantic: vector ? index.vectors.scan(vector) : undefined,
              serverOf: index.serverOf,
              serverCount: index.serverIds.length,
              serverMention: buildServerMention(index, terms),
              useBoost: uses.toBoosts(index, terms, vector, ranking.useMinSimilarity),
            },
            ranking,
          );
          const hits: SearchHit[] = selectTop(scores, limit).map((position) => {
            const tool = index.tools[position]!;
            return {
              name: tool.name,
              serverId: tool.serverId,
              score: Math.round(scores[position]! * 10_000) / 10_000,
              ...(tool.description !== undefined ? { description: tool.description } : {}),
              inputSchema: tool.inputSchema,
            };
          });
          telemetry.addBreadcrumb({
            category: BREADCRUMB_SEARCH,
            message: 'search_tools',
            data: { queryLength: text.length, results: hits.length, mode: vector ? 'hybrid' : 'lexical' },
          });
          return hits;
        },
      );
    },

    recordUse(query, toolName) {
      const text = query.trim();
      if (text === '' || !current.positionOf.has(toolName)) return;
      uses.record(text, toolName, queryVectors?.peek(text));
    },

    status(): ToolSearchStatus {
      const index = current;
      const failure = indexFailure ?? queryVectors?.failure;
      return {
        tools: index.tools.length,
        embedded: index.vectors.filled,
        ...(embedder ? { model: embedder.model } : {}),
        lexicalOnly: !isSemanticReady(index) || queryVectors?.failure !== undefined,
        indexing:
          embedder !== undefined &&
          !closed &&
          indexFailure === undefined &&
          index.vectors.filled < index.vectors.size,
        uses: uses.size,
        ...(failure !== undefined ? { embedderError: failure } : {}),
        ...(lastIndexing ? { lastIndexing } : {}),
      };
    },

    close() {
      closed = true;
      job?.abort.abort();
    },
  };
}
