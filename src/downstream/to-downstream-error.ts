// Turns what the SDK and the OS throw at a downstream connection into pml's typed errors, with the
// exit code and stderr that explain them.
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import {
  MCPServerError,
  TimeoutError,
  toErrorMessage,
  type DownstreamTransportKind,
} from '../errors/index.js';
import type { ChildExit } from './stdio-client-transport.js';

export interface FailureContext {
  serverId: string;
  transport: DownstreamTransportKind;
  command?: string | undefined;
  exit?: ChildExit | undefined;
  stderrTail?: string | undefined;
}

export function toConnectError(error: unknown, context: FailureContext, limitMs: number): Error {
  if (isTimeout(error)) {
    return new TimeoutError(
      `Server "${context.serverId}" did not answer initialize within ${limitMs} ms; it may be waiting for input or stuck. Raise connectTimeoutMs if it is just slow.`,
      { operation: 'connect', limitMs, serverId: context.serverId },
      { cause: error },
    );
  }
  if ((error as NodeJS.ErrnoException)?.code === 'ENOENT') {
    return new MCPServerError(
      `Server "${context.serverId}" could not start: command "${context.command}" was not found. Check mcpServers.${context.serverId}.command and your PATH.`,
      { serverId: context.serverId, reason: 'command_not_found', transport: context.transport },
      { cause: error },
    );
  }
  return new MCPServerError(
    `Server "${context.serverId}" failed to start: ${describeExit(context) ?? toErrorMessage(error)}`,
    {
      serverId: context.serverId,
      reason: 'start_failed',
      transport: context.transport,
      ...toExitData(context),
    },
    { cause: error },
  );
}

export function toCrashError(context: FailureContext, tool?: string): MCPServerError {
  return new MCPServerError(
    `Server "${context.serverId}" ${describeExit(context) ?? 'closed the connection'}${tool ? ` during ${tool}` : ''}; pml restarts it.`,
    {
      serverId: context.serverId,
      reason: 'crashed',
      transport: context.transport,
      tool,
      ...toExitData(context),
    },
  );
}

export function toCallError(error: unknown, context: FailureContext, tool: string, limitMs: number): unknown {
  if (isTimeout(error)) {
    return new TimeoutError(
      `${tool} on server "${context.serverId}" did not answer within ${limitMs} ms; pml cancelled the request. Try again, or raise callTimeoutMs for this server.`,
      { operation: 'tools/call', limitMs, serverId: context.serverId, tool },
      { cause: error },
    );
  }
  if (error instanceof McpError && error.code === ErrorCode.ConnectionClosed)
    return toCrashError(context, tool);
  if (error instanceof McpError) return error;
  if (error instanceof Error && error.name === 'AbortError') return error;
  return new MCPServerError(
    `${tool} on server "${context.serverId}" failed: ${toErrorMessage(error)}`,
    { serverId: context.serverId, reason: 'call_failed', transport: context.transport, tool },
    { cause: error },
  );
}

function isTimeout(error: unknown): boolean {
  return error instanceof McpError && error.code === ErrorCode.RequestTimeout;
}

function describeExit(context: FailureContext): string | undefined {
  const exit = context.exit;
  if (!exit) return undefined;
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  return context.stderrTail ? `${how}; its stderr ends with: ${lastLines(context.stderrTail)}` : how;
}

function toExitData(context: FailureContext) {
  return {
    exitCode: context.exit?.code ?? null,
    signal: context.exit?.signal ?? null,
    stderrTail: context.stderrTail ? lastLines(context.stderrTail) : undefined,
  };
}

function lastLines(text: string): string {
  return text.split('\n').slice(-3).join(' | ').slice(-400);
}

export function toUnavailableError(
  serverId: string,
  transport: DownstreamTransportKind,
  state: string,
  lastError: { message: string } | undefined,
  tool: string,
): MCPServerError {
  const why = lastError ? ` Last error: ${lastError.message}` : '';
  const next =
    state === 'failed'
      ? ' pml gave up restarting it; fix the server and restart pml.'
      : ' pml is restarting it; try again shortly.';
  return new MCPServerError(`Server "${serverId}" is unavailable (${state}).${why}${next}`, {
    serverId,
    reason: 'unavailable',
    transport,
    tool,
  });
}
