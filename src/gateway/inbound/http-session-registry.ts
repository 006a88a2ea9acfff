// The live 2025-11-25 HTTP sessions: found by id, bounded in number (gateway.http.maxSessions), and
// ended one way whoever ends them (the client's DELETE, idle expiry, shutdown), so an ended id is
// unknown at once and answered 404, as the MCP spec's session management asks.
import type { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import type { Logger } from '../../shared/logger.js';
import type { Refusal } from './http-guard.js';
import type { GatewaySession } from './session.js';

export interface HttpSessionLimits {
  /** gateway.http.sessionIdleMs: a session with nothing open for this long is ended. */
  sessionIdleMs: number;
  /** gateway.http.maxSessions: sessions live at once, those still initializing included. */
  maxSessions: number;
}

export interface HttpSessionEntry {
  transport: NodeStreamableHTTPServerTransport;
  session: GatewaySession;
}

interface TrackedSession extends HttpSessionEntry {
  /** HTTP exchanges still open: a call awaiting its answer, a GET stream. While any is, not idle. */
  openExchanges: number;
  idleTimer: NodeJS.Timeout | undefined;
}

// Node fires a longer setTimeout at once (with a warning); an idle limit of 24.8 days is as good
// as none, so longer ones wait that long.
const MAX_TIMER_MS = 2 ** 31 - 1;

export class HttpSessionRegistry {
  private readonly sessions = new Map<string, TrackedSession>();

  constructor(
    private readonly limits: HttpSessionLimits,
    private readonly logger: Logger,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  find(sessionId: string): HttpSessionEntry | undefined {
    return this.sessions.get(sessionId);
  }

  /** The refusal of one more session when the limit is reached; undefined while there is room. */
  refuseIfFull(): Refusal | undefined {
    const { maxSessions, sessionIdleMs } = this.limits;
    if (this.sessions.size < maxSessions) return undefined;
    return {
      status: 503,
      message:
        `Too many sessions: ${this.sessions.size} sessions are live, the limit set by gateway.http.maxSessions ` +
        `is ${maxSessions}. Close sessions you no longer use (HTTP DELETE with their Mcp-Session-Id), wait for ` +
        `idle ones to expire (after gateway.http.sessionIdleMs, ${sessionIdleMs} ms without a request), or ` +
        `raise gateway.http.maxSessions in the config.`,
    };
  }

  /** Registers a session from its initialize on: it counts toward the limit before it has answered. */
  add(sessionId: string, entry: HttpSessionEntry): void {
    this.sessions.set(sessionId, { ...entry, openExchanges: 0, idleTimer: undefined });
  }

  /**
   * Counts one HTTP exchange of the session until the returned function is called (when its
   * response closes). The idle clock starts when the last open exchange ends.
   */
  beginExchange(sessionId: string): () => void {
    const tracked = this.sessions.get(sessionId);
    if (!tracked) return () => {};
    tracked.openExchanges++;
    clearTimeout(tracked.idleTimer);
    tracked.idleTimer = undefined;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      tracked.openExchanges--;
      if (tracked.openExchanges > 0 || this.sessions.get(sessionId) !== tracked) return;
      const { sessionIdleMs } = this.limits;
      tracked.idleTimer = setTimeout(
        () => void this.end(sessionId, `no request for ${sessionIdleMs} ms (gateway.http.sessionIdleMs)`),
        Math.min(sessionIdleMs, MAX_TIMER_MS),
      ).unref();
    };
  }

  /**
   * Ends a session: its id is forgotten first (every later request gets 404), then its transport
   * closes, which ends its open streams and closes the session: its calls in flight are cancelled
   * downstream and its resource subscriptions released.
   */
  async end(sessionId: string, reason: string): Promise<void> {
    const tracked = this.sessions.get(sessionId);
    if (!tracked) return;
    this.sessions.delete(sessionId);
    clearTimeout(tracked.idleTimer);
    this.logger.info('HTTP session ended', { session: sessionId, reason });
    await tracked.transport.close().catch(() => {});
    await tracked.session.close();
  }

  async close(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((sessionId) => this.end(sessionId, 'the gateway stops')));
  }
}
