// Attribute values for the root span of an inbound request, compatible with Sentry's MCP Insights
// (`mcp.*`, `gen_ai.*`), plus pml's own `pml.operation` (the ADR's transaction name).
import { createScrubMemo, scrubValue } from '../pii/index.js';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_JSONRPC_REQUEST_ID,
  ATTR_MCP_PROTOCOL_VERSION,
  ATTR_MCP_METHOD_NAME,
  ATTR_MCP_REQUEST_ID,
  ATTR_MCP_SESSION_ID,
  ATTR_MCP_TOOL_NAME,
  ATTR_NETWORK_TRANSPORT,
  ATTR_PML_OPERATION,
  ATTR_SENTRY_ORIGIN,
  GEN_AI_OPERATION_EXECUTE_TOOL,
  SENTRY_ORIGIN_PML_MCP_SERVER,
} from './attribute-names.js';
import type { RequestTraceInfo } from './types.js';

/**
 * The target is scrubbed here, at the source: the span name also travels in the envelope header and
 * in `baggage` (sentry-transaction), where no event hook can reach it. An unknown tool name or a
 * resource URI may hold anything.
 */
export function toSpanName(method: string, target: string | undefined): string {
  return target ? `${method} ${toScrubbedName(target)}` : method;
}

// Tool names and URIs repeat from one request to the next; their scrubbed form is remembered.
const nameMemo = createScrubMemo();

function toScrubbedName(name: string): string {
  return scrubValue(name, { memo: nameMemo });
}

export function toNetworkTransport(transport: string): string {
  return transport === 'http' ? 'tcp' : 'pipe';
}

export function buildRequestAttributes(info: RequestTraceInfo): Record<string, string> {
  const attributes: Record<string, string> = {
    [ATTR_MCP_METHOD_NAME]: info.method,
    [ATTR_PML_OPERATION]: info.operation,
    [ATTR_NETWORK_TRANSPORT]: toNetworkTransport(info.transport),
    [ATTR_SENTRY_ORIGIN]: SENTRY_ORIGIN_PML_MCP_SERVER,
  };
  if (info.sessionId) attributes[ATTR_MCP_SESSION_ID] = info.sessionId;
  // A 2026-07-28 request has no session: the request id is what correlates it.
  if (info.requestId !== undefined) {
    attributes[ATTR_MCP_REQUEST_ID] = String(info.requestId);
    attributes[ATTR_JSONRPC_REQUEST_ID] = String(info.requestId);
  }
  if (info.protocolVersion) attributes[ATTR_MCP_PROTOCOL_VERSION] = info.protocolVersion;
  if (info.method === 'tools/call' && info.target) {
    const tool = toScrubbedName(info.target);
    attributes[ATTR_MCP_TOOL_NAME] = tool;
    attributes[ATTR_GEN_AI_TOOL_NAME] = tool;
    attributes[ATTR_GEN_AI_OPERATION_NAME] = GEN_AI_OPERATION_EXECUTE_TOOL;
  }
  return attributes;
}
