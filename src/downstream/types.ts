// The shapes the pool shares with the gateway: server states, lifecycle events, and the callbacks
// through which notifications and server-to-client requests leave a connection.
import type { Tool } from '@modelcontextprotocol/client';
import type { ProtocolEraName } from './era-verdicts.js';

/**
 * - `down`: an HTTP server pml cannot reach (refused, no such host, TLS, timeout). Calls fail at once
 *   with the cause; pml keeps trying in the background, and a call made meanwhile tries at once.
 * - `failed`: pml gave up restarting a server whose process kept exiting.
 */
export type ServerState = 'starting' | 'ready' | 'unhealthy' | 'restarting' | 'down' | 'failed' | 'stopped';

export type DownstreamEvent =
  | { type: 'connecting'; serverId: string; attempt: number }
  | {
      type: 'connected';
      serverId: string;
      durationMs: number;
      toolCount: number;
      era: ProtocolEraName;
      protocolVersion: string;
      /** False when a cached era verdict spared the `server/discover` probe. */
      probed: boolean;
    }
  | { type: 'connect_failed'; serverId: string; error: Error }
  /** An HTTP server could not be reached; told once per outage, not per retry. */
  | { type: 'down'; serverId: string; error: Error; retryInMs: number }
  /** An HTTP server forgot pml's session (it restarted): pml opens a new one at once. */
  | { type: 'session_lost'; serverId: string; message: string }
  /** A server that answered as 2026-07-28 failed in that era: pml speaks 2025-11-25 with it. */
  | { type: 'era_fallback'; serverId: string; reason: string }
  | { type: 'disconnected'; serverId: string; exitCode: number | null; signal: string | null; error: Error }
  | { type: 'restart_scheduled'; serverId: string; attempt: number; delayMs: number }
  | { type: 'gave_up'; serverId: string; attempts: number }
  | { type: 'health_check'; serverId: string; ok: boolean; durationMs: number; error?: string }
  | { type: 'tools_listed'; serverId: string; toolCount: number }
  | { type: 'stderr'; serverId: string; line: string }
  | { type: 'protocol_error'; serverId: string; message: string };

export interface JsonRpcNotification {
  method: string;
  params?: Record<string, unknown> | undefined;
}

export interface DownstreamHandlers {
  onEvent(event: DownstreamEvent): void;
  onToolsChanged(serverId: string): void;
  onNotification(serverId: string, notification: JsonRpcNotification): void;
  /** A request the server makes of the client: sampling, elicitation, roots. */
  onServerRequest(
    serverId: string,
    request: { method: string; params?: Record<string, unknown> | undefined },
    signal: AbortSignal,
  ): Promise<Record<string, unknown>>;
}

export interface ServerStatus {
  id: string;
  transport: 'stdio' | 'http';
  state: ServerState;
  toolCount: number;
  restarts: number;
  lastError: { message: string; at: string } | undefined;
  pid: number | undefined;
  connectedAt: string | undefined;
  /** When the server entered its current state, ISO 8601 ("starting for 12 s"). */
  stateSince: string;
  /** When pml last started the server again after a crash, an outage or a lost session. */
  lastRestartAt: string | undefined;
  /** Where it lives: the URL of an HTTP server, the command of a stdio one. */
  target: string;
  /** The protocol era pml speaks with the server (2025-11-25 family or 2026-07-28), once known. */
  era: ProtocolEraName | undefined;
  protocolVersion: string | undefined;
  /** When that era was negotiated; a restart within a day reuses it without probing. */
  negotiatedAt: string | undefined;
  /** Why pml speaks 2025-11-25 to a server that first answered as 2026-07-28, when it fell back. */
  eraFallback: string | undefined;
}

export type { Tool };
