// What pml does when a request to a server fails in a way the connection can heal, one decision per
// failure: the server forgot the session (open a new one, send again), cannot be reached (mark it
// down, fail at once with the cause), or does not hold to the 2026-07-28 era it claimed (fall back to
// 2025-11-25, send again only what cannot have run). Nothing a server may have run is sent twice.
import type { ServerConfig } from '../config/index.js';
import { MCPServerError, toErrorMessage } from '../errors/index.js';
import { isSafeToRepeat, toEraMismatch } from './era-mismatch.js';
import type { EraVerdicts } from './era-verdicts.js';
import { isSessionLost, toUnreachableCause } from './http-failures.js';
import type { DownstreamSession } from './open-session.js';
import type { DownstreamEvent } from './types.js';

/** The parts of a connection recovery works with. */
export interface RecoveryHost {
  readonly config: ServerConfig;
  readonly session: DownstreamSession | undefined;
  readonly verdicts: EraVerdicts;
  readonly lastError: { message: string } | undefined;
  enterDown(error: Error): void;
  reopen(session: DownstreamSession, event: DownstreamEvent): Promise<DownstreamSession | undefined>;
}

export type Recovery =
  | { kind: 'none' }
  /** The server is unreachable: the connection is now down, and the request fails with the cause. */
  | { kind: 'down' }
  | { kind: 'retry'; session: DownstreamSession }
  | { kind: 'fail'; error: Error };

const NONE: Recovery = { kind: 'none' };

export async function recoverRequest(
  host: RecoveryHost,
  session: DownstreamSession,
  error: unknown,
  method: string,
  signal: AbortSignal | undefined,
): Promise<Recovery> {
  if (signal?.aborted) return NONE;
  const { config } = host;
  if (config.transport === 'http') {
    if (toUnreachableCause(error)) {
      if (host.session === session) host.enterDown(error as Error);
      return { kind: 'down' };
    }
    if (session.verdict.era === 'legacy' && isSessionLost(error)) {
      const message = `server "${config.id}" no longer knows pml's session (${toErrorMessage(error).slice(0, 200)}); opening a new one`;
      const next = await host.reopen(session, { type: 'session_lost', serverId: config.id, message });
      return next ? { kind: 'retry', session: next } : NONE;
    }
  }
  if (session.verdict.era !== 'modern' || config.protocol !== 'auto') return NONE;
  const mismatch = toEraMismatch(error, method);
  if (!mismatch) return NONE;
  if (host.session === session) host.verdicts.recordFallback(config.id, mismatch.reason);
  const event: DownstreamEvent = { type: 'era_fallback', serverId: config.id, reason: mismatch.reason };
  const next = await host.reopen(session, event);
  if (next && isSafeToRepeat(mismatch, method)) return { kind: 'retry', session: next };
  return { kind: 'fail', error: toFallbackError(config, method, mismatch.reason, next, host.lastError) };
}

function toFallbackError(
  config: ServerConfig,
  method: string,
  reason: string,
  next: DownstreamSession | undefined,
  lastError: { message: string } | undefined,
): MCPServerError {
  const after = next
    ? 'pml now speaks 2025-11-25 with it. The request ran but its answer could not be read: try it again.'
    : `pml could not reconnect in 2025-11-25 either${lastError ? `: ${lastError.message}` : ''}.`;
  return new MCPServerError(`Server "${config.id}" answered as protocol 2026-07-28 but ${reason}; ${after}`, {
    serverId: config.id,
    reason: 'protocol_error',
    transport: config.transport,
    operation: method,
  });
}
