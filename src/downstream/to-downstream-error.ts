// Turns what the SDK and the OS throw at a downstream connection into pml's typed errors, with the
// exit code and stderr that explain them.
import { ProtocolError, ProtocolErrorCode, SdkErrorCode, SdkError } from '@modelcontextprotocol/client';
import type { Transport } from '@modelcontextprotocol/client';
import type { ServerConfig } from '../config/index.js';
import {
  CancelledError,
  DownstreamError,
  MCPServerError,
  TimeoutError,
  toErrorMessage,
  type DownstreamTransportKind,
} from '../errors/index.js';
import { toUnreachableCause } from './http-failures.js';
import { SpawnedStdioTransport, type ChildExit } from './stdio-client-transport.js';

export interface FailureContext {
  serverId: string;
  transport: DownstreamTransportKind;
  command?: string | undefined;
  exit?: ChildExit | undefined;
  stderrTail?: string | undefined;
}

/**
 * What explains a failure of `transport`: for a child process, how it exited and its last stderr.
 * `closedBy` is the transport the client closed it through, when it did: only an exit before that
 * close is the server's own.
 */
export function toFailureContext(
  config: ServerConfig,
  transport: Transport | undefined,
  closedBy?: { closeRequested: boolean; exitAtClose: ChildExit | undefined },
): FailureContext {
  const stdio = transport instanceof SpawnedStdioTransport ? transport : undefined;
  return {
    serverId: config.id,
    transport: config.transport,
    command: config.transport === 'stdio' ? config.command : undefined,
    exit: closedBy?.closeRequested ? closedBy.exitAtClose : stdio?.exit,
    stderrTail: stdio?.recentStderr,
  };
}

export function toConnectError(
  error: unknown,
  context: FailureContext,
  limitMs: number,
  url?: string | undefined,
): Error {
  if (url !== undefined && toUnreachableCause(error))
    return toUnreachableError(context, url, error, undefined, 0);
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
  // The SDK's words for a server that does not speak the era the config pins it to.
  const pinHint = /pinned protocol version/.test(toErrorMessage(error))
    ? ` mcpServers.${context.serverId}.protocol pins it; set it to "auto" (or the era the server speaks).`
    : '';
  return new MCPServerError(
    `Server "${context.serverId}" failed to start: ${describeExit(context) ?? toErrorMessage(error)}${pinHint}`,
    {
      serverId: context.serverId,
      reason: 'start_failed',
      transport: context.transport,
      ...toExitData(context),
    },
    { cause: error },
  );
}

/** What a failed request was: its MCP method and, for tools/call, the tool as the client named it. */
export interface CallSubject {
  operation: string;
  tool?: string | undefined;
}

function describeCall(subject: CallSubject): string {
  return subject.tool ? `${subject.operation} ${subject.tool}` : subject.operation;
}

export function toCrashError(context: FailureContext, subject?: CallSubject): MCPServerError {
  const during = subject ? ` during ${describeCall(subject)}` : '';
  return new MCPServerError(
    `Server "${context.serverId}" ${describeExit(context) ?? 'closed the connection'}${during}; pml restarts it.`,
    {
      serverId: context.serverId,
      reason: 'crashed',
      transport: context.transport,
      operation: subject?.operation,
      tool: subject?.tool,
      ...toExitData(context),
    },
  );
}

const MCP_ERROR_PREFIX = /^(MCP error -?\d+: )+/;

export function toCallError(
  error: unknown,
  context: FailureContext,
  subject: CallSubject,
  limitMs: number,
  signal: AbortSignal | undefined,
): Error {
  // Checked first: a request its caller cancelled fails however the SDK words it.
  if (signal?.aborted) return toCancelledError(context.serverId, subject);
  if (isTimeout(error)) {
    return new TimeoutError(
      `${describeCall(subject)} on server "${context.serverId}" did not answer within ${limitMs} ms; pml cancelled the request. Try again, or raise callTimeoutMs for this server.`,
      { operation: subject.operation, limitMs, serverId: context.serverId, tool: subject.tool },
      { cause: error },
    );
  }
  if (error instanceof SdkError && error.code === SdkErrorCode.ConnectionClosed)
    return toCrashError(context, subject);
  // A method the server's era does not have (resources/subscribe, logging/setLevel on 2026-07-28):
  // the SDK refuses it before it is sent; the client hears what such a server would answer.
  if (error instanceof SdkError && error.code === SdkErrorCode.MethodNotSupportedByProtocolVersion) {
    return new DownstreamError(
      `Server "${context.serverId}" does not support ${subject.operation}: ${error.message}`,
      {
        serverId: context.serverId,
        operation: subject.operation,
        tool: subject.tool,
        rpcCode: ProtocolErrorCode.MethodNotFound,
      },
    );
  }
  if (error instanceof ProtocolError) {
    return new DownstreamError(error.message.replace(MCP_ERROR_PREFIX, ''), {
      serverId: context.serverId,
      operation: subject.operation,
      tool: subject.tool,
      rpcCode: error.code,
      rpcData: error.data,
    });
  }
  return new MCPServerError(
    `${describeCall(subject)} on server "${context.serverId}" failed: ${toErrorMessage(error)}`,
    {
      serverId: context.serverId,
      reason: 'call_failed',
      transport: context.transport,
      operation: subject.operation,
      tool: subject.tool,
    },
    { cause: error },
  );
}

export function toCancelledError(serverId: string, subject: CallSubject): CancelledError {
  return new CancelledError(`${describeCall(subject)} was cancelled by its caller.`, {
    operation: subject.operation,
    tool: subject.tool,
    serverId,
  });
}

function isTimeout(error: unknown): boolean {
  return error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout;
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

/**
 * An HTTP server pml cannot reach: its URL and why (refused, no such host, TLS, timeout), and that
 * pml keeps trying. Calls fail with this at once while it is down.
 */
export function toUnreachableError(
  context: FailureContext,
  url: string,
  error: unknown,
  subject: CallSubject | undefined,
  lastRestartAtMs: number,
): MCPServerError {
  const cause = toUnreachableCause(error) ?? toErrorMessage(error);
  const tried = lastRestartAtMs > 0 ? ` (last tried ${new Date(lastRestartAtMs).toISOString()})` : '';
  const during = subject ? ` (${describeCall(subject)})` : '';
  return new MCPServerError(
    `Server "${context.serverId}" at ${url} is unreachable${during}: ${cause}. pml keeps trying${tried} and serves calls again as soon as it answers; check that it is running and that mcpServers.${context.serverId}.url is right.`,
    {
      serverId: context.serverId,
      reason: 'unavailable',
      transport: context.transport,
      operation: subject?.operation,
      tool: subject?.tool,
    },
    { cause: error },
  );
}

export function toUnavailableError(
  serverId: string,
  transport: DownstreamTransportKind,
  state: string,
  lastError: { message: string } | undefined,
  subject: CallSubject,
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
    operation: subject.operation,
    tool: subject.tool,
  });
}
