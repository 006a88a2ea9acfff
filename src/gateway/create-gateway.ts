// Builds one gateway from the resolved config: the shared core, the meta-tool table, the tools
// listing of the configured mode, and sessions for clients over stdio, HTTP or in memory.
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { NetworkTransport } from '../telemetry/index.js';
import { GatewayCore, type GatewayCoreOptions } from './core/gateway-core.js';
import { createExecuteWorkflowTool } from './meta-tools/execute-workflow.js';
import { createGatewayStatusTool } from './meta-tools/gateway-status.js';
import { MetaToolTable } from './meta-tools/meta-tool-table.js';
import { GatewaySession, type GatewayServices } from './inbound/session.js';
import { createToolsListing } from './inbound/tools-listing.js';

export interface Gateway {
  core: GatewayCore;
  services: GatewayServices;
  /** Connects one client over `transport`; the session lives until either side closes. */
  connect(transport: Transport, kind: NetworkTransport): Promise<GatewaySession>;
  close(): Promise<void>;
}

export function createGateway(options: GatewayCoreOptions): Gateway {
  const core = new GatewayCore(options);
  const metaTools = new MetaToolTable([
    createGatewayStatusTool(core),
    createExecuteWorkflowTool({ invoker: core.invoker, telemetry: core.telemetry }),
  ]);
  const mode = options.config.gateway.toolsMode;
  metaTools.assertModeAvailable(mode, options.config.source);
  const services: GatewayServices = { core, metaTools, tools: createToolsListing(core, metaTools, mode) };
  return {
    core,
    services,
    async connect(transport, kind) {
      const session = new GatewaySession(services, kind);
      await session.connect(transport);
      return session;
    },
    close: () => core.close(),
  };
}
