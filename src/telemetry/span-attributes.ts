// Attribute names and values for the root span of an inbound request, compatible with Sentry's MCP
// Insights (`mcp.*`, `gen_ai.*`), plus pml's own `pml.operation` (the ADR's transaction name).
import type { RequestTraceInfo } from './types.js';

export function toSpanName(method: string, target: string | undefined): string {
  return target ? `${method} ${target}` : method;
}

export function toNetworkTransport(transport: string): string {
  return transport === 'http' ? 'tcp' : 'pipe';
}

export function buildRequestAttributes(info: RequestTraceInfo): Record<string, string> {
  const attributes: Record<string, string> = {
    'mcp.method.name': info.method,
    'pml.operation': info.operation,
    'network.transport': toNetworkTransport(info.transport),
    'sentry.origin': 'auto.function.pml.mcp_server',
  };
  if (info.sessionId) attributes['mcp.session.id'] = info.sessionId;
  if (info.requestId !== undefined) attributes['mcp.request.id'] = String(info.requestId);
  if (info.method === 'tools/call' && info.target) {
    attributes['mcp.tool.name'] = info.target;
    attributes['gen_ai.tool.name'] = info.target;
    attributes['gen_ai.operation.name'] = 'execute_tool';
  }
  return attributes;
}
