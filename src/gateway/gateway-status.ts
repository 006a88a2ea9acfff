// The `gateway_status` meta-tool: every downstream server's state, tool count, last error and
// restarts, and the local metrics (latency percentiles, error rates) since the gateway started.
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { MetricsRegistry } from '../metrics/index.js';
import type { GatewayCore } from './core.js';

export const GATEWAY_STATUS_TOOL: Tool = {
  name: 'gateway_status',
  title: 'pml gateway status',
  description:
    'Health of the pml gateway: each downstream MCP server with its state (ready, restarting, failed...), tool count, restarts and last error, plus request counts, error rates and p50/p95/p99 latencies per operation, tool and server.',
  inputSchema: { type: 'object', properties: {} },
  annotations: { readOnlyHint: true, openWorldHint: false },
};

export function buildGatewayStatus(core: GatewayCore) {
  const servers = core.pool.toStatuses();
  return {
    uptimeSeconds: Math.round((Date.now() - core.startedAtMs) / 1000),
    servers,
    summary: {
      total: servers.length,
      ready: servers.filter((server) => server.state === 'ready').length,
      tools: servers.reduce((sum, server) => sum + server.toolCount, 0),
    },
    metrics: toStatusMetrics(core.metrics),
    telemetry: core.telemetry.toStatus(),
  };
}

export function buildGatewayStatusResult(core: GatewayCore): CallToolResult {
  const status = buildGatewayStatus(core);
  return { content: [{ type: 'text', text: JSON.stringify(status, null, 2) }], structuredContent: status };
}

/** The snapshot without what the status already says (pid, start time) or repeats per method. */
function toStatusMetrics(metrics: MetricsRegistry) {
  const { operations, tools, downstreamServers } = metrics.toSnapshot();
  return { operations, tools, downstreamServers };
}
