// What the invoker and tool search may know of the downstream servers: a read-only port over the
// statuses the pool keeps, and one row per state that is not ready saying what it means for a
// caller and what to do, so an unknown tool or an empty search never hides a server that is not there yet.
import type { ServerState, ServerStatus } from '../../downstream/index.js';
import { PREFIX_SEPARATOR } from './tool-naming.js';

export interface ServerStatusReader {
  statusOf(serverId: string): ServerStatus | undefined;
  statuses(): ServerStatus[];
  /** Calls `listener` after a server changed (state or tools, the catalog already rebuilt); returns the unsubscribe. */
  onChange(listener: () => void): () => void;
}

type NotReadyState = Exclude<ServerState, 'ready' | 'unhealthy'>;

interface NotReadyRow {
  /** What the server is doing, after `Server "<id>" `; `for` is how long it has been so. */
  now(status: ServerStatus, forText: string): string;
  /** Whether the last error and last restart explain the state. */
  explained: boolean;
  next(status: ServerStatus): string;
}

const NOT_READY: Record<NotReadyState, NotReadyRow> = {
  starting: {
    now: (_status, forText) => `is still starting (for ${forText}); its tools appear once it is ready`,
    explained: false,
    next: (status) =>
      `Try again shortly, or raise gateway.startupWaitMs or mcpServers.${status.id}.connectTimeoutMs.`,
  },
  restarting: {
    now: (_status, forText) => `is down and pml is restarting it (for ${forText})`,
    explained: true,
    next: () => 'pml keeps retrying; try again shortly.',
  },
  down: {
    now: (status, forText) => `is down: pml cannot reach ${status.target} (for ${forText})`,
    explained: true,
    next: () => 'pml keeps trying to reach it; try again shortly.',
  },
  failed: {
    now: (_status, forText) => `is down and pml gave up restarting it (for ${forText})`,
    explained: true,
    next: (status) => `Fix the server (mcpServers.${status.id}) and restart pml.`,
  },
  stopped: {
    now: () => 'is stopped: pml is shutting down',
    explained: false,
    next: () => '',
  },
};

/** A server whose tools can be called now (an unhealthy one still answers). */
export function isUsable(state: ServerState): boolean {
  return state === 'ready' || state === 'unhealthy';
}

/** The configured server a tool name names by its `<server>__` prefix (the longest such id), if any. */
export function findServerNamedBy(toolName: string, serverIds: string[]): string | undefined {
  return serverIds
    .filter((serverId) => toolName.startsWith(`${serverId}${PREFIX_SEPARATOR}`))
    .sort((a, b) => b.length - a.length)[0];
}

export interface NotReadyServer {
  server: string;
  state: ServerState;
  /** When it entered that state, ISO 8601. */
  since: string;
}

/** The servers whose tools cannot be called now, as answers list them; a stopping gateway lists none. */
export function listNotReady(statuses: ServerStatus[]): NotReadyServer[] {
  return statuses
    .filter((status) => !isUsable(status.state) && status.state !== 'stopped')
    .map((status) => ({ server: status.id, state: status.state, since: status.stateSince }));
}

/** `slow (starting for 7 s)`: a not-ready server in one phrase, for lists. */
export function toNotReadyPhrase(server: NotReadyServer, nowMs: number): string {
  return `${server.server} (${server.state} for ${toDurationText(nowMs - Date.parse(server.since))})`;
}

/** Why `status`'s server cannot serve a call, what pml does about it, and what the caller can do. */
export function describeNotReady(status: ServerStatus, nowMs: number): string {
  const row = NOT_READY[status.state as NotReadyState];
  if (!row) return `Server "${status.id}" is ${status.state}.`;
  const forText = toDurationText(nowMs - Date.parse(status.stateSince));
  const parts = [`Server "${status.id}" ${row.now(status, forText)}.`];
  if (row.explained) {
    if (status.lastError) parts.push(`Last error: ${status.lastError.message.replace(/\.?$/, '.')}`);
    parts.push(
      status.lastRestartAt
        ? `Last restart: ${toDurationText(nowMs - Date.parse(status.lastRestartAt))} ago (${status.restarts} so far).`
        : 'It has not been restarted yet.',
    );
  }
  parts.push(row.next(status));
  return parts.filter((part) => part !== '').join(' ');
}

/** `350 ms`, `7 s`, `4 min`: how long, as a person says it. */
export function toDurationText(ms: number): string {
  const safeMs = Math.max(0, ms);
  if (safeMs < 1_000) return `${Math.round(safeMs)} ms`;
  if (safeMs < 120_000) return `${Math.round(safeMs / 1_000)} s`;
  return `${Math.round(safeMs / 60_000)} min`;
}
