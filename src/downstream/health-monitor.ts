// A connection's health checks: a ping (`server/discover` for a 2026-07-28 server, which has no ping)
// on an interval, and at once when an HTTP server's event stream breaks. A failure the connection can
// read at once (the server is unreachable, or forgot the session) is handled as a failed request is;
// anything else is a miss, and two misses in a row mean the server is stuck, not busy.
import { toErrorMessage } from '../errors/index.js';
import { ERA_PATHS } from './era-paths.js';
import type { DownstreamSession } from './open-session.js';
import type { DownstreamEvent, ServerState } from './types.js';

const MISSES_BEFORE_REPLACING = 2;

export interface MonitoredConnection {
  readonly id: string;
  readonly state: ServerState;
  readonly session: DownstreamSession | undefined;
  emit(event: DownstreamEvent): void;
  /** Handles a failed check as a failed request is handled; true when it did (down, new session). */
  recoverFromCheck(session: DownstreamSession, error: unknown): Promise<boolean>;
  markHealthy(): void;
  markUnhealthy(message: string): void;
  /** Drops a stuck session and restarts the server. */
  replace(session: DownstreamSession): Promise<void>;
}

export class HealthMonitor {
  private timer: NodeJS.Timeout | undefined;
  private misses = 0;
  private checking: Promise<void> | undefined;

  constructor(
    private readonly connection: MonitoredConnection,
    private readonly intervalMs: number,
    private readonly timeoutMs: number,
  ) {}

  start(): void {
    if (this.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.checkNow(), this.intervalMs);
    this.timer.unref();
  }

  /** A new session starts with a clean record. */
  reset(): void {
    this.misses = 0;
  }

  /** Checks now, or joins the check in flight. */
  checkNow(): Promise<void> {
    this.checking ??= this.check().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async check(): Promise<void> {
    const { connection } = this;
    const session = connection.session;
    if (!session || (connection.state !== 'ready' && connection.state !== 'unhealthy')) return;
    const startedAtMs = performance.now();
    try {
      await ERA_PATHS[session.verdict.era].checkAlive(session.client, this.timeoutMs);
      this.misses = 0;
      connection.markHealthy();
      const durationMs = performance.now() - startedAtMs;
      connection.emit({ type: 'health_check', serverId: connection.id, ok: true, durationMs });
    } catch (error) {
      if (connection.session !== session) return;
      const message = `health check failed: ${toErrorMessage(error)}`;
      const durationMs = performance.now() - startedAtMs;
      connection.emit({
        type: 'health_check',
        serverId: connection.id,
        ok: false,
        durationMs,
        error: message,
      });
      if ((await connection.recoverFromCheck(session, error)) || connection.session !== session) return;
      this.misses++;
      connection.markUnhealthy(message);
      if (this.misses >= MISSES_BEFORE_REPLACING) await connection.replace(session);
    }
  }

  close(): void {
    clearInterval(this.timer);
  }
}
