// One downstream MCP server: connects with a timeout, lists its tools, forwards requests with a
// per-call timeout, checks health on an interval and restarts with backoff after a crash. It never
// throws out of its own lifecycle; failures become state, `lastError` and events.
import { Client, type ServerCapabilities, type Tool, type Transport } from '@modelcontextprotocol/client';
import type { ServerConfig } from '../config/index.js';
import { toErrorMessage, toJsonRpcCode } from '../errors/index.js';
import { PML_VERSION } from '../shared/version.js';
import { toBackoffDelayMs } from './backoff.js';
import { DirectRequests } from './direct-requests.js';
import { createTransport as createDefaultTransport, type TransportFactory } from './create-transport.js';
import { ProgressRouter, withMeta, type ProgressListener } from './progress-router.js';
import { SpawnedStdioTransport } from './stdio-client-transport.js';
import { listAllTools } from './list-all-tools.js';
import {
  toCallError,
  toCancelledError,
  toConnectError,
  toCrashError,
  toUnavailableError,
  type FailureContext,
} from './to-downstream-error.js';
import type { DownstreamHandlers, ServerState, ServerStatus } from './types.js';
import { waitForSettled } from './wait.js';

// What a server may ask of the client behind pml (forwarded to it).
const SERVER_REQUEST_METHODS = ['sampling/createMessage', 'elicitation/create', 'roots/list'] as const;

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

  private client: Client | undefined;
  private direct: DirectRequests | undefined;
  private transport: Transport | undefined;
  private consecutiveFailures = 0;
  private failedHealthChecks = 0;
  private connectedAtMs = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly settleListeners = new Set<() => void>();
  private readonly progress = new ProgressRouter();

  constructor(
    readonly config: ServerConfig,
    private readonly policy: ConnectionPolicy,
    private readonly handlers: DownstreamHandlers,
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
    const client = this.createClient();
    const transport = (this.policy.createTransport ?? createDefaultTransport)(this.config, (line) =>
      this.handlers.onEvent({ type: 'stderr', serverId: this.id, line }),
    );
    const direct = new DirectRequests(transport, this.progress);
    // Until the connection is ready, a close is a failed connect (handled in catch), not a crash.
    let closedDuringConnect = false;
    client.onclose = () => {
      if (this.client === client) this.handleUnexpectedClose(client);
      else closedDuringConnect = true;
    };
    try {
      await client.connect(direct.transport, { timeout: this.config.connectTimeoutMs });
      this.capabilities = client.getServerCapabilities();
      this.transport = transport;
      const tools = await this.listTools(client);
      if (closedDuringConnect) throw new Error('the server closed the connection during startup');
      if (this.closed) return void (await transport.close());
      this.tools = tools;
      this.client = client;
      this.direct = direct;
      this.connectedAtMs = Date.now();
      this.failedHealthChecks = 0;
      this.setState('ready');
      this.handlers.onEvent({
        type: 'connected',
        serverId: this.id,
        durationMs: performance.now() - startedAtMs,
        toolCount: this.tools.length,
      });
      this.handlers.onToolsChanged(this.id);
    } catch (error) {
      await transport.close().catch(() => {});
      const failure = toConnectError(error, this.toFailureContext(transport), this.config.connectTimeoutMs);
      this.recordError(failure);
      this.handlers.onEvent({ type: 'connect_failed', serverId: this.id, error: failure });
      this.scheduleRestart();
    }
  }

  private createClient(): Client {
    const client = new Client(
      { name: 'pml', version: PML_VERSION },
      { capabilities: { sampling: {}, elicitation: {}, roots: { listChanged: true } } },
    );
    client.setNotificationHandler('notifications/tools/list_changed', () => this.refreshTools(client));
    client.fallbackNotificationHandler = async (notification) =>
      this.handlers.onNotification(this.id, notification);
    for (const method of SERVER_REQUEST_METHODS) {
      client.setRequestHandler(method, async (request, ctx) => {
        try {
          return (await this.handlers.onServerRequest(this.id, request, ctx.mcpReq.signal)) as never;
        } catch (error) {
          // The server gets a JSON-RPC code it understands (method not found when no client can
          // answer). Not McpError, which would prefix "MCP error <code>:" to a message the server's
          // own SDK prefixes again.
          throw Object.assign(new Error(toErrorMessage(error)), { code: toJsonRpcCode(error) });
        }
      });
    }
    client.onerror = (error) =>
      this.handlers.onEvent({ type: 'protocol_error', serverId: this.id, message: error.message });
    return client;
  }

  private async listTools(client: Client): Promise<Tool[]> {
    const tools = await listAllTools(client, this.config.connectTimeoutMs);
    this.handlers.onEvent({ type: 'tools_listed', serverId: this.id, toolCount: tools.length });
    return tools;
  }

  private async refreshTools(client: Client): Promise<void> {
    if (this.client !== client) return;
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
    const direct = this.client ? this.direct : undefined;
    if (!direct)
      throw toUnavailableError(this.id, this.config.transport, this.state, this.lastError, subject);
    const progressToken = options.onprogress ? this.progress.register(options.onprogress) : undefined;
    try {
      return await direct.request(
        progressToken ? withMeta(request, { progressToken }) : request,
        timeoutMs,
        options.signal,
      );
    } catch (error) {
      throw toCallError(error, this.toFailureContext(this.transport), subject, timeoutMs, options.signal);
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

  private handleUnexpectedClose(client: Client): void {
    if (this.closed || this.client !== client) return;
    const context = this.toFailureContext(this.transport);
    this.client = undefined;
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
      void this.connect();
    }, delayMs);
    this.restartTimer.unref();
  }

  private async checkHealth(): Promise<void> {
    const client = this.client;
    if (this.closed || !client || (this.state !== 'ready' && this.state !== 'unhealthy')) return;
    const startedAtMs = performance.now();
    try {
      await client.ping({ timeout: this.policy.healthCheckTimeoutMs });
      this.failedHealthChecks = 0;
      if (this.state === 'unhealthy') this.setState('ready');
      this.handlers.onEvent({
        type: 'health_check',
        serverId: this.id,
        ok: true,
        durationMs: performance.now() - startedAtMs,
      });
    } catch (error) {
      if (this.client !== client) return;
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
        this.client = undefined;
        await this.transport?.close().catch(() => {});
        this.scheduleRestart();
      }
    }
  }

  private setState(state: ServerState): void {
    this.state = state;
    for (const listener of [...this.settleListeners]) listener();
  }

  private recordError(error: Error): void {
    this.lastError = { message: error.message, at: new Date().toISOString() };
  }

  private toFailureContext(transport: Transport | undefined): FailureContext {
    const stdio = transport instanceof SpawnedStdioTransport ? transport : undefined;
    return {
      serverId: this.id,
      transport: this.config.transport,
      command: this.config.transport === 'stdio' ? this.config.command : undefined,
      exit: stdio?.exit,
      stderrTail: stdio?.recentStderr,
    };
  }

  toStatus(): ServerStatus {
    return {
      id: this.id,
      transport: this.config.transport,
      state: this.state,
      toolCount: this.tools.length,
      restarts: this.restarts,
      lastError: this.lastError,
      pid: this.transport instanceof SpawnedStdioTransport ? this.transport.pid : undefined,
      connectedAt: this.connectedAtMs > 0 ? new Date(this.connectedAtMs).toISOString() : undefined,
    };
  }

  /** Sends a notification (roots/list_changed, cancelled) if connected; drops it otherwise. */
  async notify(notification: { method: string; params?: Record<string, unknown> }): Promise<void> {
    await this.client?.notification(notification as never).catch(() => {});
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.restartTimer);
    clearInterval(this.healthTimer);
    const transport = this.transport;
    this.client = undefined;
    this.transport = undefined;
    this.setState('stopped');
    await transport?.close().catch(() => {});
  }
}
