// tools/call: find the tool, check its arguments, forward with the client's `_meta`, progress and
// cancellation, and turn failures into results the client can act on.
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  ErrorCode,
  type CallToolRequest,
  type CallToolResult,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import { InvalidArgumentsError, ToolNotFoundError } from '../errors/index.js';
import type { RequestScope } from '../telemetry/index.js';
import type { GatewayCore } from './core.js';
import { GATEWAY_STATUS_TOOL, buildGatewayStatusResult } from './gateway-status.js';
import type { GatewaySession } from './session.js';
import { JsonRpcError, toErrorResult } from './to-tool-result.js';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export async function handleToolCall(
  core: GatewayCore,
  session: GatewaySession,
  params: CallToolRequest['params'],
  extra: Extra,
  scope: RequestScope,
): Promise<CallToolResult> {
  const report = (error: unknown, serverId?: string) => {
    core.telemetry.captureError(error, {
      tool: params.name,
      serverId,
      transport: session.transport,
      operation: 'mcp.tools.call',
    });
    return error;
  };
  if (params.name === GATEWAY_STATUS_TOOL.name) return buildGatewayStatusResult(core);
  let entry = core.catalog.find(params.name);
  if (!entry) {
    await core.waitForStartup();
    entry = core.catalog.find(params.name);
  }
  if (!entry) throw toUnknownToolError(core, params.name, report);
  scope.setServer(entry.serverId);

  const args = params.arguments ?? {};
  scope.recordInput(args);
  const problems = core.validator.findProblems(entry.tool.inputSchema, args);
  if (problems.length > 0) {
    scope.markToolError();
    return toErrorResult(
      report(
        new InvalidArgumentsError(
          `Invalid arguments for ${params.name}: ${problems.join('; ')}. Expected input schema: ${JSON.stringify(entry.tool.inputSchema)}`,
          { tool: params.name, serverId: entry.serverId, problems },
        ),
        entry.serverId,
      ),
    );
  }

  const connection = core.pool.get(entry.serverId)!;
  // The downstream request gets a token of pml's own (tokens of two clients may be equal).
  const { progressToken, ...meta } = params._meta ?? {};
  // The result must not overtake the last progress notification: a client drops progress that
  // arrives after the result, so the answer waits for the notification to be written.
  let progressSent: Promise<void> = Promise.resolve();
  const onprogress =
    progressToken === undefined
      ? undefined
      : (progress: { progress: number; total?: number; message?: string }) => {
          progressSent = extra
            .sendNotification({ method: 'notifications/progress', params: { ...progress, progressToken } })
            .catch(() => {});
        };
  session.beginCall(entry.serverId);
  try {
    const result = await connection.request(
      {
        method: 'tools/call',
        params: {
          name: entry.tool.name,
          arguments: params.arguments,
          ...(Object.keys(meta).length > 0 ? { _meta: meta } : {}),
        },
      },
      { signal: extra.signal, onprogress, label: `tools/call ${params.name}`, target: entry.tool.name },
    );
    await progressSent;
    scope.recordOutput(result);
    if (result.isError === true) scope.markToolError(toResultText(result));
    return result as CallToolResult;
  } catch (error) {
    scope.markToolError();
    if (!(error instanceof Error && error.name === 'AbortError')) report(error, entry.serverId);
    return toErrorResult(error);
  } finally {
    session.endCall(entry.serverId);
  }
}

function toUnknownToolError(
  core: GatewayCore,
  name: string,
  report: (error: unknown) => unknown,
): JsonRpcError {
  const suggestions = core.catalog.suggest(name);
  const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?` : '';
  const error = new ToolNotFoundError(
    `Unknown tool "${name}".${hint} Call tools/list to see the available tools.`,
    {
      tool: name,
      suggestions,
    },
  );
  report(error);
  return new JsonRpcError(ErrorCode.InvalidParams, error.message, { code: error.code, suggestions });
}

function toResultText(result: Record<string, unknown>): string {
  const content = (result.content as { type: string; text?: string }[] | undefined) ?? [];
  return (
    content.map((item) => item.text ?? `[${item.type}]`).join('\n') ||
    'the tool returned isError with no text'
  );
}
