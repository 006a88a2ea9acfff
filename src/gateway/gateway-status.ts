// The `gateway_status` meta-tool: every downstream server's state, tool count, last error and restarts.
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { DownstreamPool } from '../downstream/index.js';

export const GATEWAY_STATUS_TOOL: Tool = {
  name: 'gateway_status',
  title: 'pml gateway status',
  description:
    'Health of the pml gateway: each downstream MCP server with its state (ready, restarting, failed...), tool count, restarts and last error.',
  inputSchema: { type: 'object', properties: {} },
  annotations: { readOnlyHint: true, openWorldHint: false },
};

export function buildGatewayStatus(pool: DownstreamPool, startedAtMs: number) {
  const servers = pool.toStatuses();
  return {
    uptimeSeconds: Math.round((Date.now() - startedAtMs) / 1000),
    servers,
    summary: {
      total: servers.length,
      ready: servers.filter((server) => server.state === 'ready').length,
      tools: servers.reduce((sum, server) => sum + server.toolCount, 0),
    },
  };
}

export function buildGatewayStatusResult(pool: DownstreamPool, startedAtMs: number): CallToolResult {
  const status = buildGatewayStatus(pool, startedAtMs);
  return { content: [{ type: 'text', text: JSON.stringify(status, null, 2) }], structuredContent: status };
}
