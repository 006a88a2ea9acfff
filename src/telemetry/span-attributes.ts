// Attribute names and values for the root span of an inbound request, compatible with Sentry's MCP
// Insights (`mcp.*`, `gen_ai.*`), plus pml's own `pml.operation` (the ADR's transaction name).
import { scrubString } from '../pii/index.js';
import type { RequestTraceInfo } from './types.js';

/**
 * The target is scrubbed here, at the source: the span name also travels in the envelope header and
 * in `baggage` (sentry-transaction), where no event hook can reach it. An unknown tool name or a
 * resource URI may hold anything.
 */
export function toSpanName(method: string, target: string | undefined): string {
  return target ? `${method} ${scrubString(target)}` : method;
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
    const tool = scrubString(info.target);
    attributes['mcp.tool.name'] = tool;
    attributes['gen_ai.tool.name'] = tool;
    attributes['gen_ai.operation.name'] = 'execute_tool';
  }
  return attributes;
}
