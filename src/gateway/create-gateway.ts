// Builds one gateway from the resolved config: the shared core, storage (opened on first need),
// tool search, the meta-tool table, the tools listing of the configured mode, and sessions for
// clients over stdio, HTTP or in memory.
import type { Transport } from '@modelcontextprotocol/server';
import { createDenoCodeRunner, type CodeRunner } from '../sandbox/index.js';
import type { Embedder } from '../search/index.js';
import { openStorage } from '../storage/index.js';
import type { NetworkTransport } from '../telemetry/index.js';
import { GatewayCore, type GatewayCoreOptions } from './core/gateway-core.js';
import { createExecuteCodeTool } from './meta-tools/execute-code.js';
import { createExecuteWorkflowTool } from './meta-tools/execute-workflow.js';
import { createGatewayStatusTool } from './meta-tools/gateway-status.js';
import { MetaToolTable } from './meta-tools/meta-tool-table.js';
import { createSearchToolsTool } from './meta-tools/search-tools.js';
import { GatewaySession, type GatewayServices } from './inbound/session.js';
import { createToolsListing } from './inbound/tools-listing.js';
import { createRequestStateSeal, loadRequestStateKey } from './inbound/modern/request-state-seal.js';
import { serveStdioEitherEra } from './inbound/modern/stdio-entry.js';
import { createStorageAccess, type StorageAccess } from './services/storage-access.js';
import { createToolSearchService } from './services/tool-search-service.js';

export interface Gateway {
  core: GatewayCore;
  services: GatewayServices;
  storage: StorageAccess;
  /** Serves stdio in the era the client's first message asks for (2025-11-25 or 2026-07-28). */
  serveStdio(transport: Transport): Promise<void>;
  /** Connects one legacy-era client over `transport`; the session lives until either side closes. */
  connect(transport: Transport, kind: NetworkTransport): Promise<GatewaySession>;
  close(): Promise<void>;
}

export interface GatewayOptions extends GatewayCoreOptions {
  /** Replaces the embedder `search.embedder` names (tests). */
  embedder?: Embedder | undefined;
  /** Replaces the Deno code runner the `sandbox` section configures (tests). */
  createCodeRunner?: (() => CodeRunner) | undefined;
}

export function createGateway(options: GatewayOptions): Gateway {
  const core = new GatewayCore(options);
  const { config, logger } = options;
  const storage = createStorageAccess({
    config: config.storage,
    dataDir: config.dataDir,
    logger,
    telemetry: core.telemetry,
    open: openStorage,
  });
  const search = createToolSearchService({
    catalog: {
      listTools: () =>
        core.invoker.list().map((description) => ({
          name: description.tool.name,
          serverId: description.serverId,
          description: description.tool.description,
          inputSchema: description.tool.inputSchema as Record<string, unknown>,
        })),
      waitForStartup: () => core.waitForStartup(),
      onCatalogChanged: (listener) => core.onCatalogChanged(listener),
      onToolCalled: (listener) => core.onToolCalled(listener),
      serverStatuses: () => core.servers.statuses(),
    },
    storage,
    config: config.search,
    telemetry: core.telemetry,
    logger,
    embedder: options.embedder,
  });
  const { sandbox } = config;
  const executeCode = createExecuteCodeTool({
    invoker: core.invoker,
    clients: core.clients,
    telemetry: core.telemetry,
    settings: sandbox,
    waitForStartup: () => core.waitForStartup(),
    createRunner:
      options.createCodeRunner ??
      (() =>
        createDenoCodeRunner({
          memoryLimitMb: sandbox.memoryLimitMb,
          maxToolCalls: sandbox.maxToolCalls,
          poolSize: sandbox.poolSize,
          logger,
        })),
  });
  const metaTools = new MetaToolTable([
    createGatewayStatusTool(core, () => ({ storage: storage.status(), search: search.status() })),
    createSearchToolsTool(search),
    createExecuteWorkflowTool({ invoker: core.invoker, telemetry: core.telemetry, storage, logger }),
    executeCode,
  ]);
  const mode = config.gateway.toolsMode;
  metaTools.assertModeAvailable(mode, config.source);
  // Where search_tools is the way to find tools, the index is built from the start, in the background.
  if (mode !== 'all') search.start();
  // In code mode execute_code is the surface: its Deno processes start warming now, not on first use.
  if (mode === 'code') executeCode.warmUp();
  const services: GatewayServices = {
    core,
    metaTools,
    tools: createToolsListing(core, metaTools, mode),
    requestStateSeal: createRequestStateSeal(loadRequestStateKey(config.dataDir)),
  };
  return {
    core,
    services,
    storage,
    serveStdio: (transport) => serveStdioEitherEra(services, transport),
    async connect(transport, kind) {
      const session = new GatewaySession(services, kind);
      await session.connect(transport);
      return session;
    },
    close: async () => {
      try {
        await core.close();
      } finally {
        search.close();
        await metaTools.close();
        await storage.close();
      }
    },
  };
}
