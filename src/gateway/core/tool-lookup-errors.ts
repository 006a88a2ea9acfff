// The answers to a tools/call whose name is not in the catalog: the server it names is not ready
// (MCPServerError `unavailable`, an `isError` result the model reads), or the name is unknown
// (ToolNotFoundError), each with the names the caller most likely meant.
import { MCPServerError, ToolNotFoundError } from '../../errors/index.js';
import type { ServerStatus } from '../../downstream/index.js';
import { describeNotReady, toNotReadyPhrase, type NotReadyServer } from './server-readiness.js';

const OPERATION = 'tools/call';

function toDidYouMean(suggestions: string[]): string {
  return suggestions.length > 0 ? ` Did you mean ${suggestions.map((name) => `"${name}"`).join(', ')}?` : '';
}

/** `toolName` names a configured server that cannot serve it yet: say why, for how long, and what next. */
export function toUnreadyServerError(
  status: ServerStatus,
  toolName: string,
  suggestions: string[],
  nowMs: number,
): MCPServerError {
  return new MCPServerError(
    `Tool "${toolName}" is not available: ${describeNotReady(status, nowMs)}${toDidYouMean(suggestions)}`,
    {
      serverId: status.id,
      reason: 'unavailable',
      transport: status.transport,
      operation: OPERATION,
      tool: toolName,
      state: status.state,
      stateSince: status.stateSince,
      lastRestartAt: status.lastRestartAt,
      restarts: status.restarts,
      suggestions,
    },
  );
}

/** No server has `toolName`; the servers not ready yet are named, since it may be one of theirs. */
export function toUnknownToolError(
  toolName: string,
  suggestions: string[],
  notReady: NotReadyServer[],
  nowMs: number,
): ToolNotFoundError {
  const pending =
    notReady.length > 0
      ? ` Not ready yet, so their tools are not listed: ${notReady.map((server) => toNotReadyPhrase(server, nowMs)).join(', ')}; gateway_status says why.`
      : '';
  return new ToolNotFoundError(
    `Unknown tool "${toolName}".${toDidYouMean(suggestions)}${pending} Call tools/list to see the available tools.`,
    {
      tool: toolName,
      operation: OPERATION,
      suggestions,
      ...(notReady.length > 0 ? { notReady } : {}),
    },
  );
}
