// One downstream MCP server: connects with a timeout, in the server's own protocol era, lists its
// tools, forwards requests with a per-call timeout, checks health on an interval and restarts with
// backoff after a crash, goes `down` while an HTTP server cannot be reached and replaces a session
// the server lost (requests go out through ./forward-request.ts, healed by ./request-recovery.ts).
// It never throws out of its own lifecycle; failures become state, `lastError` and events.
import type { Client, ServerCapabilities, Tool } from '@modelcontextprotocol/client';
import type { ServerConfig } from '../config/index.js';
import { waitUntil } from '../shared/wait-until.js';
import { ConnectAttempts, type RestartPolicy } from './connect-attempts.js';
import { createDownstreamClient } from './create-client.js';
import { createTransport as createDefaultTransport, type TransportFactory } from './create-transport.js';
import { EraVerdicts } from './era-verdicts.js';
import { HealthMonitor, type MonitoredConnection } from './health-monitor.js';
import { isStreamFailure, toUnreachableCause } from './http-failures.js';
import { openSession, type DownstreamSession } from './open-session.js';
import { forwardRequest, type ForwardingHost, type RequestOptions } from './forward-request.js';
import { ProgressRouter } from './progress-router.js';
import { recoverRequest } from './request-recovery.js';
import { buildServerStatus } from './server-status.js';
import { ServerTools } from './server-tools.js';
import { toCrashError, toFailureContext, toUnreachableError } from './to-downstream-error.js';
import type { DownstreamEvent, DownstreamHandlers, ServerState, ServerStatus } from './types.js';

export interface ConnectionPolicy {
  autoRestart: boolean;
  /** The test seam: in-process tests hand in linked in-memory transports. */
  createTransport?: TransportFactory | undefined;
  healthCheckIntervalMs: number;
  healthCheckTimeoutMs: number;
  restart: RestartPolicy;
}

export class DownstreamConnection implements ForwardingHost, MonitoredConnection {
  state: ServerState = 'starting';
  capabilities: ServerCapabilities | undefined;
  lastError: { message: string; at: string } | undefined;

  session: DownstreamSession | undefined;
  /** The last session's, kept after it ends: it explains the crash and still shows its era. */
  private lastSession: DownstreamSession | undefined;
  private connectedAtMs = 0;
  private stateSinceMs = Date.now();
  private closed = false;
  private readonly health: HealthMonitor;
  private readonly serverTools: ServerTools;
  private readonly invalidToolsReported = new Set<string>();
  private readonly attempts: ConnectAttempts;
  /** Why an HTTP server is `down`: the last failure to reach it. */
  downError: Error | undefined;
  private readonly settleListeners = new Set<() => void>();
  readonly progress = new ProgressRouter();

  constructor(
    readonly config: ServerConfig,
    private readonly policy: ConnectionPolicy,
    private readonly handlers: DownstreamHandlers,
    readonly verdicts: EraVerdicts = new EraVerdicts(),
  ) {
    this.attempts = new ConnectAttempts(policy.restart, () => this.connectOnce());
    this.health = new HealthMonitor(this, policy.healthCheckIntervalMs, policy.healthCheckTimeoutMs);
    this.serverTools = new ServerTools(config, {
      emit: (event) => this.emit(event),
      onChanged: () => this.handlers.onToolsChanged(this.id),
      isCurrent: (client) => this.session?.client === client,
      recordError: (error) => this.recordError(error),
    });
  }

  /** The server's tools as last listed. */
  get tools(): Tool[] {
    return this.serverTools.tools;
  }

  get id(): string {
    return this.config.id;
  }

  /** Times pml started the server again. */
  get restarts(): number {
    return this.attempts.restarts;
  }

  get lastRestartAtMs(): number {
    return this.attempts.lastRestartAtMs;
  }

  get lastTransport() {
    return this.lastSession?.transport;
  }

  /** Resolves when the first attempt has settled, connected or not. */
  async start(): Promise<void> {
    await this.attempts.connect();
    this.health.start();
  }

  private async connectOnce(): Promise<boolean> {
    const attempt = this.attempts.failuresInARow + 1;
    this.emit({ type: 'connecting', serverId: this.id, attempt });
    const startedAtMs = performance.now();
    let session: DownstreamSession;
    try {
      session = await openSession({
        config: this.config,
        createTransport: this.policy.createTransport ?? createDefaultTransport,
        progress: this.progress,
        verdicts: this.verdicts,
        createClient: () => this.createClient(),
        listTools: (client) => this.serverTools.list(client),
        knownTools: this.lastSession ? this.tools : undefined,
        onStderrLine: (line) => this.emit({ type: 'stderr', serverId: this.id, line }),
        onClose: (closed) => this.handleUnexpectedClose(closed),
        onError: (current, error) => this.handleTransportError(current, error),
        onEraFallback: (reason) => this.emit({ type: 'era_fallback', serverId: this.id, reason }),
        onInvalidTool: (name, problem) => this.reportInvalidTool(name, problem),
      });
    } catch (failure) {
      if (this.closed) return false;
      this.recordError(failure as Error);
      const cause = this.config.transport === 'http' ? toUnreachableCause(failure) : undefined;
      if (cause) this.enterDown(failure as Error);
      else {
        this.emit({ type: 'connect_failed', serverId: this.id, error: failure as Error });
        this.scheduleRestart();
      }
      return false;
    }
    if (this.closed) return (void (await session.transport.close().catch(() => {})), false);
    this.adopt(session, startedAtMs);
    return true;
  }

  private adopt(session: DownstreamSession, startedAtMs: number): void {
    this.session = this.lastSession = session;
    this.capabilities = session.client.getServerCapabilities();
    this.serverTools.tools = session.tools;
    this.connectedAtMs = Date.now();
    this.health.reset();
    this.downError = undefined;
    this.attempts.cancelPlanned();
    this.setState('ready');
    const { era, protocolVersion } = session.verdict;
    this.emit({
      type: 'connected',
      serverId: this.id,
      durationMs: performance.now() - startedAtMs,
      toolCount: this.tools.length,
      era,
      protocolVersion,
      probed: session.probed,
    });
    this.handlers.onToolsChanged(this.id);
    if (!session.toolsListed) void this.serverTools.refresh(session.client);
    void this.serverTools.watch(session);
  }

  private createClient(): Client {
    return createDownstreamClient({
      serverId: this.id,
      handlers: this.handlers,
      probeTimeoutMs: this.config.connectTimeoutMs,
      pinnedModern: this.config.protocol === '2026-07-28',
      onToolListChanged: (client) => void this.serverTools.refresh(client),
    });
  }

  request(
    request: { method: string; params?: Record<string, unknown> },
    options: RequestOptions = {},
  ): Promise<Record<string, unknown>> {
    return forwardRequest(this, request, options);
  }

  waitWhileStarting(timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
    const settled = () => this.state !== 'starting' && this.state !== 'restarting';
    const subscribe = (check: () => void) => {
      this.settleListeners.add(check);
      return () => void this.settleListeners.delete(check);
    };
    return waitUntil(settled, subscribe, timeoutMs, signal).then(() => {});
  }

  /**
   * A call to a down server tries to reach it now (./connect-attempts.ts). One that timed out would
   * hold every call for connectTimeoutMs: those calls fail at once while an attempt goes on.
   */
  async tryWhileDown(): Promise<void> {
    if (/timed out/.test(toUnreachableCause(this.downError) ?? '')) {
      if (!this.attempts.inFlight) void this.attempts.connect();
      return;
    }
    await this.attempts.tryForCall();
  }

  /** Marks an HTTP server unreachable and keeps trying in the background, with backoff, forever. */
  enterDown(failure: Error): void {
    if (this.closed || this.config.transport !== 'http') return;
    const first = this.state !== 'down';
    if (this.session) this.retire(this.session);
    const context = toFailureContext(this.config, undefined);
    const error = toUnreachableError(context, this.config.url, failure, undefined, this.lastRestartAtMs);
    this.downError = error;
    this.recordError(error);
    const delayMs = this.attempts.afterUnreachable();
    this.setState('down');
    if (first) this.emit({ type: 'down', serverId: this.id, error, retryInMs: delayMs });
    this.attempts.later(delayMs);
  }

  /**
   * Replaces the session at once (it was lost, or the era changed) and resolves with the new one, or
   * undefined when the server cannot be reached. Callers that find it already replaced share the
   * attempt in flight.
   */
  async reopen(session: DownstreamSession, event: DownstreamEvent): Promise<DownstreamSession | undefined> {
    if (this.session === session) {
      this.retire(session);
      this.setState('restarting');
      this.emit(event);
      void this.attempts.restartNow();
    }
    await this.attempts.inFlight;
    return this.session;
  }

  /**
   * Lets a session go: it is no longer the one requests use, and its transport closes once the
   * requests still on it have their answers (a session another request found lost still answers the
   * others with their own errors, which heal in turn; closing at once would fail them unanswered).
   */
  private retire(session: DownstreamSession): void {
    if (this.session === session) this.session = undefined;
    const close = () => void session.transport.close().catch(() => {});
    void session.direct.drained().then(close, close);
  }

  private handleUnexpectedClose(session: DownstreamSession): void {
    if (this.closed || this.session !== session) return;
    const context = toFailureContext(this.config, session.transport);
    this.session = undefined;
    const error = toCrashError(context);
    this.recordError(error);
    this.emit({
      type: 'disconnected',
      serverId: this.id,
      exitCode: context.exit?.code ?? null,
      signal: context.exit?.signal ?? null,
      error,
    });
    this.scheduleRestart();
  }

  /** The event stream of an HTTP server broke (it restarted, or went away): check it now. */
  private handleTransportError(session: DownstreamSession | undefined, error: Error): void {
    if (this.config.transport === 'http' && isStreamFailure(error)) {
      if (session && this.session === session) void this.health.checkNow();
      return;
    }
    this.emit({ type: 'protocol_error', serverId: this.id, message: error.message });
  }

  private scheduleRestart(): void {
    if (this.closed) return;
    const delayMs = this.policy.autoRestart ? this.attempts.afterCrash(this.connectedAtMs) : undefined;
    this.connectedAtMs = 0;
    if (delayMs === undefined) {
      this.setState('failed');
      if (this.policy.autoRestart)
        this.emit({ type: 'gave_up', serverId: this.id, attempts: this.attempts.failuresInARow - 1 });
      this.handlers.onToolsChanged(this.id);
      return;
    }
    this.setState('restarting');
    this.handlers.onToolsChanged(this.id);
    const attempt = this.attempts.failuresInARow;
    this.emit({ type: 'restart_scheduled', serverId: this.id, attempt, delayMs });
    this.attempts.later(delayMs);
  }

  async recoverFromCheck(session: DownstreamSession, error: unknown): Promise<boolean> {
    return (await recoverRequest(this, session, error, 'ping', undefined)).kind !== 'none';
  }

  markHealthy(): void {
    if (this.state === 'unhealthy') this.setState('ready');
  }

  markUnhealthy(message: string): void {
    this.recordError(new Error(message));
    this.setState('unhealthy');
  }

  async replace(session: DownstreamSession): Promise<void> {
    if (this.session !== session) return;
    this.session = undefined;
    await session.transport.close().catch(() => {});
    this.scheduleRestart();
  }

  private setState(state: ServerState): void {
    if (state !== this.state) this.stateSinceMs = Date.now();
    this.state = state;
    for (const listener of [...this.settleListeners]) listener();
  }

  /** Once per tool: a server lists it at every connect and list change. */
  private reportInvalidTool(name: string, problem: string): void {
    if (this.invalidToolsReported.has(name)) return;
    this.invalidToolsReported.add(name);
    const message = `tool "${name}" is not a valid MCP tool (${problem}); pml leaves it out and serves the others`;
    this.emit({ type: 'protocol_error', serverId: this.id, message });
  }

  recordError(error: Error): void {
    this.lastError = { message: error.message, at: new Date().toISOString() };
  }

  emit(event: DownstreamEvent): void {
    this.handlers.onEvent(event);
  }

  toStatus(): ServerStatus {
    return buildServerStatus(this.config, this.lastSession, {
      state: this.state,
      toolCount: this.tools.length,
      restarts: this.attempts.restarts,
      lastError: this.lastError,
      connectedAtMs: this.connectedAtMs,
      stateSinceMs: this.stateSinceMs,
      lastRestartAtMs: this.lastRestartAtMs,
    });
  }

  /** Sends a notification (roots/list_changed, cancelled) if connected; drops it otherwise. */
  async notify(notification: { method: string; params?: Record<string, unknown> }): Promise<void> {
    await this.session?.client.notification(notification as never).catch(() => {});
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.attempts.close();
    this.health.close();
    const session = this.session ?? this.lastSession;
    this.session = undefined;
    this.setState('stopped');
    await session?.transport.close().catch(() => {});
  }
}
