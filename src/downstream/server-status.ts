// A connection's state as `gateway_status`, `pml doctor` and error messages show it.
import type { ServerConfig } from '../config/index.js';
import type { DownstreamSession } from './open-session.js';
import { SpawnedStdioTransport } from './stdio-client-transport.js';
import type { ServerState, ServerStatus } from './types.js';

export interface StatusFields {
  state: ServerState;
  toolCount: number;
  restarts: number;
  lastError: { message: string; at: string } | undefined;
  connectedAtMs: number;
  stateSinceMs: number;
  lastRestartAtMs: number;
}

export function buildServerStatus(
  config: ServerConfig,
  lastSession: DownstreamSession | undefined,
  fields: StatusFields,
): ServerStatus {
  const transport = lastSession?.transport;
  const verdict = lastSession?.verdict;
  return {
    id: config.id,
    transport: config.transport,
    state: fields.state,
    toolCount: fields.toolCount,
    restarts: fields.restarts,
    lastError: fields.lastError,
    pid: transport instanceof SpawnedStdioTransport ? transport.pid : undefined,
    connectedAt: toIso(fields.connectedAtMs),
    stateSince: new Date(fields.stateSinceMs).toISOString(),
    lastRestartAt: toIso(fields.lastRestartAtMs),
    target: config.transport === 'http' ? config.url : config.command,
    era: verdict?.era,
    protocolVersion: verdict?.protocolVersion,
    negotiatedAt: verdict?.negotiatedAt || undefined,
    eraFallback: verdict?.fallback,
  };
}

function toIso(ms: number): string | undefined {
  return ms > 0 ? new Date(ms).toISOString() : undefined;
}
