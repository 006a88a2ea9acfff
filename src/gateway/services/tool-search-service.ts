// Tool search as the gateway runs it: the ToolSearch index kept in step with the catalog (and the
// storage tool index), vectors cached in storage across restarts, and learning from use: a client's
// search followed by its call of one of the hits lifts that tool for similar queries, now and,
// through storage, after a restart. Nothing loads until the first search unless `start()` is
// called (search and code modes), so a gateway that never searches pays for no model.
import type { SearchConfig } from '../../config/index.js';
import { toErrorMessage, VectorSearchError } from '../../errors/index.js';
import {
  createOpenAiEmbedder,
  createToolSearch,
  createUseLiteEmbedder,
  type Embedder,
  type EmbeddingCache,
  type SearchableTool,
  type SearchHit,
  type ToolSearch,
  type ToolSearchStatus,
} from '../../search/index.js';
import type { Logger } from '../../shared/logger.js';
import type { RequestScope, Telemetry } from '../../telemetry/index.js';
import type { ServerStatus } from '../../downstream/index.js';
import type { Caller } from '../core/caller.js';
import { listNotReady, type NotReadyServer } from '../core/server-readiness.js';
import type { StorageAccess } from './storage-access.js';

/** A call this long after a search still counts as following it. */
const SEARCH_FOLLOW_UP_MS = 10 * 60_000;

export interface CatalogSource {
  listTools(): SearchableTool[];
  /** Resolves once the servers still starting have had their chance (as tools/list waits). */
  waitForStartup(): Promise<void>;
  onCatalogChanged(listener: () => void): () => void;
  onToolCalled(listener: (name: string, caller: Caller | undefined) => void): () => void;
  /** Every configured server's status: who is missing from the index and why. */
  serverStatuses(): ServerStatus[];
}

export interface ToolSearchAnswer {
  hits: SearchHit[];
  /** Servers not ready whose tools are not in the index, so no hit can be theirs yet. */
  notIndexed: NotReadyServer[];
}

export interface ToolSearchService {
  search(
    query: string,
    options: { limit?: number | undefined; scope?: RequestScope; caller?: Caller },
  ): Promise<ToolSearchAnswer>;
  /** Builds the index now, in the background, instead of on the first search. */
  start(): void;
  status(): (ToolSearchStatus & { started: true }) | { started: false };
  close(): void;
}

export interface ToolSearchServiceDeps {
  catalog: CatalogSource;
  storage: StorageAccess;
  config: SearchConfig;
  telemetry: Telemetry;
  logger: Logger;
  /** Tests pass their own; the default follows `search.embedder`. */
  embedder?: Embedder | undefined;
}

export function createToolSearchService(deps: ToolSearchServiceDeps): ToolSearchService {
  const { catalog, storage, config, telemetry, logger } = deps;
  let search: ToolSearch | undefined;
  const unsubscribe: (() => void)[] = [];
  // Each client's last search, to recognise the call that follows it.
  const lastSearches = new Map<string, { query: string; hits: Set<string>; atMs: number }>();

  const ensureStarted = (): ToolSearch => {
    if (search) return search;
    const started = createToolSearch({
      embedder: deps.embedder ?? toEmbedder(config, logger),
      cache: toStorageCache(storage, logger),
      telemetry,
      logger,
    });
    search = started;
    const refresh = () => {
      const tools = catalog.listTools();
      started.setTools(tools);
      void syncStoredIndex(storage, tools, logger);
    };
    refresh();
    unsubscribe.push(catalog.onCatalogChanged(refresh));
    unsubscribe.push(catalog.onToolCalled((name, caller) => noteCall(name, caller)));
    void loadUses(started);
    return started;
  };

  const loadUses = async (target: ToolSearch) => {
    const opened = await storage.get();
    const signals = await opened?.signals.list({ limit: 1_000 }).catch((error: unknown) => {
      logger.warn(`search: could not read past uses: ${toErrorMessage(error)}`);
      return [];
    });
    for (const signal of (signals ?? []).reverse()) target.recordUse(signal.query, signal.tool);
  };

  const noteCall = (name: string, caller: Caller | undefined) => {
    const clientId = caller?.clientId;
    const last = clientId === undefined ? undefined : lastSearches.get(clientId);
    if (!last || !last.hits.has(name) || Date.now() - last.atMs > SEARCH_FOLLOW_UP_MS) return;
    lastSearches.delete(clientId!);
    search?.recordUse(last.query, name);
    void storage
      .get()
      .then((opened) => opened?.signals.record({ query: withoutNul(last.query), tool: name }))
      .catch((error: unknown) => logger.warn(`search: could not keep a use: ${toErrorMessage(error)}`));
  };

  // An embedder that fails leaves search lexical; Sentry hears of each distinct failure once.
  const reported = new Set<string>();
  const reportEmbedderFailure = (status: ToolSearchStatus, scope: RequestScope | undefined) => {
    const failure = status.embedderError;
    if (failure === undefined || reported.has(failure)) return;
    reported.add(failure);
    telemetry.captureError(
      new VectorSearchError(`search answers lexically only: the embedder failed: ${failure}`, {
        stage: 'embed',
        model: status.model,
      }),
      { scope, operation: 'search_tools' },
    );
  };

  return {
    async search(query, options) {
      const started = ensureStarted();
      await catalog.waitForStartup();
      // Vectors still being computed: wait a bounded time, so the answer uses meaning as well.
      if (started.status().indexing) await waitAtMost(started.whenIndexed(), config.indexWaitMs);
      const hits = await started.search(query, { limit: options.limit, scope: options.scope });
      reportEmbedderFailure(started.status(), options.scope);
      const clientId = options.caller?.clientId;
      if (clientId !== undefined)
        lastSearches.set(clientId, { query, hits: new Set(hits.map((hit) => hit.name)), atMs: Date.now() });
      return { hits, notIndexed: listNotIndexed(catalog) };
    },
    start: () => void ensureStarted(),
    status: () => (search ? { started: true, ...search.status() } : { started: false }),
    close() {
      for (const stop of unsubscribe.splice(0)) stop();
      search?.close();
    },
  };
}

/** A restarting server keeps its tools in the catalog (and so in the index); one that never got ready has none. */
function listNotIndexed(catalog: CatalogSource): NotReadyServer[] {
  const indexed = new Set(catalog.listTools().map((tool) => tool.serverId));
  return listNotReady(catalog.serverStatuses()).filter((server) => !indexed.has(server.server));
}

function toEmbedder(config: SearchConfig, logger: Logger): Embedder | undefined {
  const { embedder } = config;
  if (embedder === 'none') return undefined;
  if (embedder === 'use-lite') return createUseLiteEmbedder({ logger });
  return createOpenAiEmbedder({
    baseUrl: embedder.baseUrl,
    model: embedder.model,
    apiKey: embedder.apiKey,
    timeoutMs: embedder.timeoutMs,
  });
}

/** The embedding cache in storage; without storage, nothing is cached and nothing fails. */
function toStorageCache(storage: StorageAccess, logger: Logger): EmbeddingCache {
  return {
    async get(model, textHashes) {
      const opened = await storage.get();
      if (!opened) return new Map();
      return opened.embeddings.get(model, textHashes).catch((error: unknown) => {
        logger.warn(`search: could not read cached vectors: ${toErrorMessage(error)}`);
        return new Map<string, Float32Array>();
      });
    },
    async put(model, entries) {
      const opened = await storage.get();
      await opened?.embeddings.put(model, entries).catch((error: unknown) => {
        logger.warn(`search: could not cache vectors: ${toErrorMessage(error)}`);
      });
    },
  };
}

/** The tool index in storage: one sync per server; unchanged tools (same content hash) stay as they are. */
async function syncStoredIndex(
  storage: StorageAccess,
  tools: SearchableTool[],
  logger: Logger,
): Promise<void> {
  const opened = await storage.get();
  if (!opened) return;
  const byServer = new Map<string, SearchableTool[]>();
  for (const tool of tools) byServer.set(tool.serverId, [...(byServer.get(tool.serverId) ?? []), tool]);
  try {
    for (const [serverId, serverTools] of byServer) {
      const result = await opened.tools.sync(
        serverId,
        serverTools.map((tool) => ({
          name: tool.name,
          description: tool.description,
          inputSchema: tool.inputSchema,
        })),
      );
      if (result.added + result.changed + result.removed > 0)
        logger.debug('search: tool index updated', { server: serverId, ...result });
    }
  } catch (error) {
    logger.warn(`search: could not update the stored tool index: ${toErrorMessage(error)}`);
  }
}

async function waitAtMost(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** PostgreSQL text cannot hold U+0000; a query or description that has one is kept without it. */
function withoutNul(text: string): string {
  return text.replaceAll('\u0000', '');
}
