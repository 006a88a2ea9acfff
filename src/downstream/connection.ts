// One downstream MCP server: connects with a timeout, in the server's own protocol era, lists its
// tools, forwards requests with a per-call timeout, checks health on an interval and restarts with
// backoff after a crash. It never throws out of its own lifecycle; failures become state,
// `lastError` and events.
import type { Client, ServerCapabilities, Tool } from '@modelcontextprotocol/client';
import type { ServerConfig } from '../config/index.js';
import { toErrorMessage } from '../errors/index.js';
import { toBackoffDelayMs } from './backoff.js';
import { createDownstreamClient } from './create-client.js';
import { createTransport as createDefaultTransport, type TransportFactory } from './create-transport.js';
import { ERA_PATHS } from './era-paths.js';
import { EraVerdicts } from './era-verdicts.js';
import { listAllTools } from './list-all-tools.js';
import { openSession, type DownstreamSession } from './open-session.js';
import { ProgressRouter, withMeta, type ProgressListener } from './progress-router.js';
import { SpawnedStdioTransport } from './stdio-client-transport.js';
import {
  toCallError,
  toCancelledError,
  toCrashError,
  toFailureContext,
  toUnavailableError,
} from './to-downstream-error.js';
import type { DownstreamHandlers, ServerState, ServerStatus } from './types.js';
import { waitForSettled } from './wait.js';

export interface ConnectionPolicy {
  autoRestart: boolean;
  /** The test seam: in-process tests hand in linked in-memory transports. */
  createTransport?: TransportFactory | undefined;
  healthCheckIntervalMs: number;
  healthCheckTimeoutMs: number;
  restart: { maxAttempts: number; initialDelayMs: number; maxDelayMs: number; stableAfterMs: number };
}

export interface RequestOptions {
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  onprogress?: ProgressListener | undefined;
  /** For tools/call: the tool as the client named it, so errors say which. */
  tool?: string | undefined;
}

export class DownstreamConnection {
  state: ServerState = 'starting';
  tools: Tool[] = [];
  capabilities: ServerCapabilities | undefined;
  restarts = 0;
  lastError: { message: string; at: string } | undefined;

  private session: DownstreamSession | undefined;
  /** The last session's, kept after it ends: it explains the crash and still shows its era. */
  private lastSession: DownstreamSession | undefined;
  private consecutiveFailures = 0;
  private failedHealthChecks = 0;
  private connectedAtMs = 0;
  private stateSinceMs = Date.now();
  private lastRestartAtMs = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly settleListeners = new Set<() => void>();
  private readonly progress = new ProgressRouter();

  constructor(
    readonly config: ServerConfig,
    private readonly policy: ConnectionPolicy,
    private readonly handlers: DownstreamHandlers,
    private readonly verdicts: EraVerdicts = new EraVerdicts(),
  ) {}

  get id(): string {
    return this.config.id;
  }

  /** Resolves when the first attempt has settled, connected or not. */
  async start(): Promise<void> {
    await this.connect();
    if (this.policy.healthCheckIntervalMs > 0) {
      this.healthTimer = setInterval(() => void this.checkHealth(), this.policy.healthCheckIntervalMs);
      this.healthTimer.unref();
    }
  }

  private async connect(): Promise<void> {
    const attempt = this.consecutiveFailures + 1;
    this.handlers.onEvent({ type: 'connecting', serverId: this.id, attempt });
    const startedAtMs = performance.now();
    let session: DownstreamSession;
    try {
      session = await openSession({
        config: this.config,
        createTransport: this.policy.createTransport ?? createDefaultTransport,
        progress: this.progress,
        verdicts: this.verdicts,
        createClient: () => this.createClient(),
        listTools: (client) => this.listTools(client),
        onStderrLine: (line) => this.handlers.onEvent({ type: 'stderr', serverId: this.id, line }),
        onClose: (closed) => this.handleUnexpectedClose(closed),
      });
    } catch (failure) {
      this.recordError(failure as Error);
      this.handlers.onEvent({ type: 'connect_failed', serverId: this.id, error: failure as Error });
      this.scheduleRestart();
      return;
    }
    if (this.closed) return void (await session.transport.close().catch(() => {}));
    this.session = this.lastSession = session;
    this.capabilities = session.client.getServerCapabilities();
    this.tools = session.tools;
    this.connectedAtMs = Date.now();
    this.failedHealthChecks = 0;
    this.setState('ready');
    const { era, protocolVersion } = session.verdict;
    this.handlers.onEvent({
      type: 'connected',
      serverId: this.id,
      durationMs: performance.now() - startedAtMs,
      toolCount: this.tools.length,
      era,
      protocolVersion,
      probed: session.probed,
    });
    this.handlers.onToolsChanged(this.id);
    void this.watchLists(session);
  }

  private createClient(): Client {
    return createDownstreamClient({
      serverId: this.id,
      handlers: this.handlers,
      probeTimeoutMs: this.config.connectTimeoutMs,
      onToolListChanged: (client) => void this.refreshTools(client),
    });
  }

  /** A 2026-07-28 server tells of list changes only on a stream pml opens; a failure is reported. */
  private async watchLists(session: DownstreamSession): Promise<void> {
    try {
      await ERA_PATHS[session.verdict.era].watchLists(session.client, this.config.connectTimeoutMs);
    } catch (error) {
      if (this.session !== session) return;
      const message = `could not subscribe to list changes: ${toErrorMessage(error)}`;
      this.handlers.onEvent({ type: 'protocol_error', serverId: this.id, message });
    }
  }

  private async listTools(client: Client): Promise<Tool[]> {
    const tools = await listAllTools(client, this.config.connectTimeoutMs);
    this.handlers.onEvent({ type: 'tools_listed', serverId: this.id, toolCount: tools.length });
    return tools;
  }

  private async refreshTools(client: Client): Promise<void> {
    if (this.session?.client !== client) return;
    try {
      this.tools = await this.listTools(client);
      this.handlers.onToolsChanged(this.id);
    } catch (error) {
      this.recordError(new Error(`could not refresh the tool list: ${toErrorMessage(error)}`));
    }
  }

  async request(
    request: { method: string; params?: Record<string, unknown> },
    options: RequestOptions = {},
  ): Promise<Record<string, unknown>> {
    const timeoutMs = options.timeoutMs ?? this.config.callTimeoutMs;
    const subject = { operation: request.method, tool: options.tool };
    if (this.state !== 'ready' && this.state !== 'unhealthy')
      await this.waitUntilUsable(timeoutMs, options.signal);
    // A caller that gave up while the server restarted cancelled its call; the server did not fail it.
    if (options.signal?.aborted) throw toCancelledError(this.id, subject);
    const session = this.session;
    if (!session)
      throw toUnavailableError(this.id, this.config.transport, this.state, this.lastError, subject);
    const progressToken = options.onprogress ? this.progress.register(options.onprogress) : undefined;
    try {
      return await ERA_PATHS[session.verdict.era].request(
        session,
        progressToken ? withMeta(request, { progressToken }) : request,
        { timeoutMs, signal: options.signal, tools: this.tools },
      );
    } catch (error) {
      const context = toFailureContext(this.config, session.transport);
      throw toCallError(error, context, subject, timeoutMs, options.signal);
    } finally {
      if (progressToken) this.progress.release(progressToken);
    }
  }

  private async waitUntilUsable(timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
    if (this.state === 'starting' || this.state === 'restarting') {
      await waitForSettled(
        this.settleListeners,
        () => this.state !== 'starting' && this.state !== 'restarting',
        timeoutMs,
        signal,
      );
    }
  }

  private handleUnexpectedClose(session: DownstreamSession): void {
    if (this.closed || this.session !== session) return;
    const context = toFailureContext(this.config, session.transport);
    this.session = undefined;
    const error = toCrashError(context);
    this.recordError(error);
    this.handlers.onEvent({
      type: 'disconnected',
      serverId: this.id,
      exitCode: context.exit?.code ?? null,
      signal: context.exit?.signal ?? null,
      error,
    });
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    if (this.closed) return;
    const wasStable =
      this.connectedAtMs > 0 && Date.now() - this.connectedAtMs >= this.policy.restart.stableAfterMs;
    this.consecutiveFailures = wasStable ? 1 : this.consecutiveFailures + 1;
    this.connectedAtMs = 0;
    if (!this.policy.autoRestart || this.consecutiveFailures > this.policy.restart.maxAttempts) {
      this.setState('failed');
      if (this.policy.autoRestart)
        this.handlers.onEvent({ type: 'gave_up', serverId: this.id, attempts: this.consecutiveFailures - 1 });
      this.handlers.onToolsChanged(this.id);
      return;
    }
    const delayMs = toBackoffDelayMs(this.consecutiveFailures, this.policy.restart);
    this.setState('restarting');
    this.handlers.onToolsChanged(this.id);
    this.handlers.onEvent({
      type: 'restart_scheduled',
      serverId: this.id,
      attempt: this.consecutiveFailures,
      delayMs,
    });
    this.restartTimer = setTimeout(() => {
      this.restarts++;
      this.lastRestartAtMs = Date.now();
      void this.connect();
    }, delayMs);
    this.restartTimer.unref();
  }

  private async checkHealth(): Promise<void> {
    const session = this.session;
    if (this.closed || !session || (this.state !== 'ready' && this.state !== 'unhealthy')) return;
    const startedAtMs = performance.now();
    try {
      await ERA_PATHS[session.verdict.era].checkAlive(session.client, this.policy.healthCheckTimeoutMs);
      this.failedHealthChecks = 0;
      if (this.state === 'unhealthy') this.setState('ready');
      this.handlers.onEvent({
        type: 'health_check',
        serverId: this.id,
        ok: true,
        durationMs: performance.now() - startedAtMs,
      });
    } catch (error) {
      if (this.session !== session) return;
      this.failedHealthChecks++;
      const message = `health check failed: ${toErrorMessage(error)}`;
      this.recordError(new Error(message));
      this.handlers.onEvent({
        type: 'health_check',
        serverId: this.id,
        ok: false,
        durationMs: performance.now() - startedAtMs,
        error: message,
      });
      this.setState('unhealthy');
      // Two misses in a row: the server is stuck, not busy. Replace it.
      if (this.failedHealthChecks >= 2) {
        this.session = undefined;
        await session.transport.close().catch(() => {});
        this.scheduleRestart();
      }
    }
  }

  private setState(state: ServerState): void {
    if (state !== this.state) this.stateSinceMs = Date.now();
    this.state = state;
    for (const listener of [...this.settleListeners]) listener();
  }

  private recordError(error: Error): void {
    this.lastError = { message: error.message, at: new Date().toISOString() };
  }

  toStatus(): ServerStatus {
    const transport = this.lastSession?.transport;
    const verdict = this.lastSession?.verdict;
    return {
      id: this.id,
      transport: this.config.transport,
      state: this.state,
      toolCount: this.tools.length,
      restarts: this.restarts,
      lastError: this.lastError,
      pid: transport instanceof SpawnedStdioTransport ? transport.pid : undefined,
      connectedAt: this.connectedAtMs > 0 ? new Date(this.connectedAtMs).toISOString() : undefined,
      stateSince: new Date(this.stateSinceMs).toISOString(),
      lastRestartAt: this.lastRestartAtMs > 0 ? new Date(this.lastRestartAtMs).toISOString() : undefined,
      target: this.config.transport === 'http' ? this.config.url : this.config.command,
      era: verdict?.era,
      protocolVersion: verdict?.protocolVersion,
      negotiatedAt: verdict?.negotiatedAt,
      eraFallback: verdict?.fallback,
    };
  }

  /** Sends a notification (roots/list_changed, cancelled) if connected; drops it otherwise. */
  async notify(notification: { method: string; params?: Record<string, unknown> }): Promise<void> {
    await this.session?.client.notification(notification as never).catch(() => {});
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.restartTimer);
    clearInterval(this.healthTimer);
    const session = this.session ?? this.lastSession;
    this.session = undefined;
    this.setState('stopped');
    await session?.transport.close().catch(() => {});
  }
}
