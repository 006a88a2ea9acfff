// The `gateway_status` meta-tool: every downstream server's state, tool count, last error and
// restarts, and the local metrics (latency percentiles, error rates) since the gateway started.
import type { MetricsRegistry } from '../../metrics/index.js';
import type { GatewayHealth } from '../core/gateway-core.js';
import type { MetaTool } from './meta-tool.js';

export interface GatewayStatusSource {
  toHealth(): GatewayHealth;
  metrics: MetricsRegistry;
}

/** The state of features beside the servers (storage, search), as they report it. */
export type FeatureStatus = () => Record<string, unknown>;

export function buildGatewayStatus(source: GatewayStatusSource, features: FeatureStatus = () => ({})) {
  const { uptimeSeconds, servers, telemetry } = source.toHealth();
  const { operations, tools, downstreamServers } = source.metrics.toSnapshot();
  return {
    uptimeSeconds,
    servers,
    summary: {
      total: servers.length,
      ready: servers.filter((server) => server.state === 'ready').length,
      tools: servers.reduce((sum, server) => sum + server.toolCount, 0),
    },
    // The snapshot without what the status already says (pid, start time) or repeats per method.
    metrics: { operations, tools, downstreamServers },
    telemetry,
    ...features(),
  };
}

export function createGatewayStatusTool(source: GatewayStatusSource, features?: FeatureStatus): MetaTool {
  return {
    tool: {
      name: 'gateway_status',
      title: 'pml gateway status',
      description:
        'Health of the pml gateway: each downstream MCP server with its state (ready, starting, restarting, down: unreachable, failed: given up), tool count, restarts and last error, plus request counts, error rates and p50/p95/p99 latencies per operation, tool and server.',
      inputSchema: { type: 'object', properties: {}, additionalProperties: false },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    operation: 'mcp.gateway_status',
    modes: ['all', 'search', 'code'],
    handle: async () => {
      const status = buildGatewayStatus(source, features);
      return {
        content: [{ type: 'text', text: JSON.stringify(status, null, 2) }],
        structuredContent: status,
      };
    },
  };
}
