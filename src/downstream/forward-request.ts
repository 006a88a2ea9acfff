// One request forwarded to a server: the session to send it on (waiting for a server still starting,
// trying a down one now), the request in the server's era with progress on pml's own token, and at
// most one healing when it fails (./request-recovery.ts). Errors come out typed, naming the server.
import type { Tool, Transport } from '@modelcontextprotocol/client';
import { ERA_PATHS } from './era-paths.js';
import { toUnreachableCause } from './http-failures.js';
import type { DownstreamSession } from './open-session.js';
import { withMeta, type ProgressListener, type ProgressRouter } from './progress-router.js';
import { recoverRequest, type RecoveryHost } from './request-recovery.js';
import {
  toCallError,
  toCancelledError,
  toFailureContext,
  toUnavailableError,
  toUnreachableError,
  type CallSubject,
} from './to-downstream-error.js';
import type { ServerState } from './types.js';

export interface RequestOptions {
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  onprogress?: ProgressListener | undefined;
  /** For tools/call: the tool as the client named it, so errors say which. */
  tool?: string | undefined;
}

type Request = { method: string; params?: Record<string, unknown> };

/** What forwarding needs of a connection. */
export interface ForwardingHost extends RecoveryHost {
  readonly id: string;
  readonly state: ServerState;
  readonly tools: Tool[];
  readonly progress: ProgressRouter;
  /** The transport of the last session, which explains a crash. */
  readonly lastTransport: Transport | undefined;
  /** Why an HTTP server is `down`, when it is. */
  readonly downError: Error | undefined;
  readonly lastRestartAtMs: number;
  /** Resolves once the server is no longer starting or restarting (bounded by the call's limit). */
  waitWhileStarting(timeoutMs: number, signal: AbortSignal | undefined): Promise<void>;
  /** A call to a down server tries to reach it now. */
  tryWhileDown(): Promise<void>;
}

export async function forwardRequest(
  host: ForwardingHost,
  request: Request,
  options: RequestOptions,
): Promise<Record<string, unknown>> {
  const timeoutMs = options.timeoutMs ?? host.config.callTimeoutMs;
  const subject = { operation: request.method, tool: options.tool };
  const session = await acquire(host, timeoutMs, options.signal, subject);
  const progressToken = options.onprogress ? host.progress.register(options.onprogress) : undefined;
  const sent = progressToken ? withMeta(request, { progressToken }) : request;
  const call = { timeoutMs, signal: options.signal, tools: host.tools };
  const forward = (on: DownstreamSession) => ERA_PATHS[on.verdict.era].request(on, sent, call);
  const fail = (error: unknown, on: DownstreamSession) =>
    toRequestError(host, error, on.transport, subject, timeoutMs, options.signal);
  try {
    return await forward(session);
  } catch (error) {
    // Healed once at most: a request the server refused before running it (a lost session, an era
    // it only claimed) is sent again on the new session; anything else fails as it failed.
    const recovery = await recoverRequest(host, session, error, request.method, options.signal);
    if (recovery.kind === 'fail') throw recovery.error;
    if (recovery.kind === 'none' || recovery.kind === 'down') throw fail(error, session);
    try {
      return await forward(recovery.session);
    } catch (again) {
      throw fail(again, recovery.session);
    }
  } finally {
    if (progressToken) host.progress.release(progressToken);
  }
}

/** The session to send on: waits for a server still starting, tries a down one at once. */
async function acquire(
  host: ForwardingHost,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  subject: CallSubject,
): Promise<DownstreamSession> {
  if (host.state === 'starting' || host.state === 'restarting')
    await host.waitWhileStarting(timeoutMs, signal);
  else if (host.state === 'down') await host.tryWhileDown();
  // A caller that gave up while the server restarted cancelled its call; the server did not fail it.
  if (signal?.aborted) throw toCancelledError(host.id, subject);
  if (host.session) return host.session;
  const { config } = host;
  if (host.state === 'down' && config.transport === 'http' && host.downError) {
    const context = toFailureContext(config, host.lastTransport);
    throw toUnreachableError(context, config.url, host.downError, subject, host.lastRestartAtMs);
  }
  throw toUnavailableError(host.id, config.transport, host.state, host.lastError, subject);
}

function toRequestError(
  host: ForwardingHost,
  error: unknown,
  transport: Transport,
  subject: CallSubject,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Error {
  const { config } = host;
  const context = toFailureContext(config, transport);
  if (!signal?.aborted && config.transport === 'http' && toUnreachableCause(error))
    return toUnreachableError(context, config.url, error, subject, host.lastRestartAtMs);
  return toCallError(error, context, subject, timeoutMs, signal);
}
