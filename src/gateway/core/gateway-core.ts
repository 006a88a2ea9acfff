// What every client shares: the downstream pool, the tool catalog, the routes and the ToolInvoker.
// It receives what servers send on their own (notifications, sampling/elicitation/roots requests)
// and hands each to the right client. Callers get ports (invoker, routes, clients), not the pool.
import type { ResolvedConfig } from '../../config/index.js';
import {
  DownstreamPool,
  type DownstreamEvent,
  type DownstreamHandlers,
  type JsonRpcNotification,
  type ServerStatus,
  type Tool,
  type TransportFactory,
} from '../../downstream/index.js';
import { createMetricsRegistry, type MetricsRegistry } from '../../metrics/index.js';
import type { Logger } from '../../shared/logger.js';
import { noopTelemetry, type Telemetry } from '../../telemetry/index.js';
import { ArgumentValidator } from './argument-validator.js';
import { CallsInFlight } from './calls-in-flight.js';
import type { Caller } from './caller.js';
import { ClientRegistry, type ServerRequest } from './client-registry.js';
import { createDownstreamSender } from './downstream-sender.js';
import { logDownstreamEvent } from './log-downstream-event.js';
import { ProxyRoutes } from './proxy-routes.js';
import { reportDownstreamEvent } from './report-downstream-event.js';
import type { ServerStatusReader } from './server-readiness.js';
import { ToolCatalog } from './tool-catalog.js';
import { createToolInvoker, type ToolInvoker } from './tool-invoker.js';

export interface GatewayCoreOptions {
  config: ResolvedConfig;
  logger: Logger;
  /** Restart crashed servers (off for one-shot commands such as `pml doctor`). */
  autoRestart?: boolean;
  telemetry?: Telemetry;
  /** Local latency and error metrics; independent of telemetry, always on. */
  metrics?: MetricsRegistry;
  /** How to reach a server; in-process tests pass linked in-memory transports. */
  createTransport?: TransportFactory;
}

export interface GatewayHealth {
  uptimeSeconds: number;
  servers: ServerStatus[];
  telemetry: ReturnType<Telemetry['toStatus']>;
}

export class GatewayCore {
  readonly invoker: ToolInvoker;
  readonly routes: ProxyRoutes;
  readonly clients: ClientRegistry;
  readonly telemetry: Telemetry;
  readonly metrics: MetricsRegistry;
  /** What the downstream servers are doing, read-only: for answers that say why a tool is missing. */
  readonly servers: ServerStatusReader;
  private readonly pool: DownstreamPool;
  private readonly catalog: ToolCatalog;
  private readonly startedAtMs = Date.now();
  private readonly startupWaitMs: number;
  private startup: Promise<void> | undefined;
  private readonly catalogListeners = new Set<() => void>();
  private readonly serverListeners = new Set<() => void>();
  private readonly callListeners = new Set<(name: string, caller: Caller | undefined) => void>();

  get logger(): Logger {
    return this.options.logger;
  }

  constructor(private readonly options: GatewayCoreOptions) {
    const { config, logger } = options;
    const { gateway } = config;
    this.telemetry = options.telemetry ?? noopTelemetry;
    this.metrics = options.metrics ?? createMetricsRegistry();
    this.startupWaitMs = gateway.startupWaitMs;
    const handlers: DownstreamHandlers = {
      onEvent: (event) => this.handleEvent(event),
      onToolsChanged: () => this.handleToolsChanged(),
      onNotification: (serverId, notification) => this.handleNotification(serverId, notification),
      onServerRequest: (serverId, request, signal) => this.handleServerRequest(serverId, request, signal),
    };
    this.pool = new DownstreamPool(
      config.servers,
      {
        autoRestart: options.autoRestart ?? true,
        createTransport: options.createTransport,
        healthCheckIntervalMs: options.autoRestart === false ? 0 : gateway.healthCheckIntervalMs,
        healthCheckTimeoutMs: gateway.healthCheckTimeoutMs,
        restart: gateway.restart,
      },
      handlers,
    );
    const prefixModes = new Map(config.servers.map((server) => [server.id, server.toolPrefix]));
    const toPrefixMode = (serverId: string) => prefixModes.get(serverId) ?? gateway.toolPrefix;
    const callsInFlight = new CallsInFlight();
    const send = createDownstreamSender(this.pool, this.telemetry, this.metrics, callsInFlight);
    this.catalog = new ToolCatalog(this.pool, toPrefixMode, logger);
    this.routes = new ProxyRoutes(this.pool, send, toPrefixMode, logger);
    this.clients = new ClientRegistry(callsInFlight);
    const pool = this.pool;
    this.servers = {
      statusOf: (serverId) => pool.get(serverId)?.toStatus(),
      statuses: () => pool.toStatuses(),
      onChange: (listener) => {
        this.serverListeners.add(listener);
        return () => this.serverListeners.delete(listener);
      },
    };
    this.invoker = createToolInvoker({
      catalog: this.catalog,
      validator: new ArgumentValidator(logger),
      send,
      callsInFlight,
      waitForStartup: () => this.waitForStartup(),
      servers: this.servers,
      startupWaitMs: gateway.startupWaitMs,
      toPrefixMode,
      onCalled: (name, caller) => {
        for (const listener of this.callListeners) listener(name, caller);
      },
    });
  }

  /** Starts every server in the background; the gateway answers clients meanwhile. */
  start(): void {
    void this.pool.start();
  }

  /** Starts every server and resolves when each first attempt has settled (one-shot commands). */
  startAndSettle(): Promise<void> {
    return this.pool.start();
  }

  /**
   * The first tools/list waits for servers still starting, up to `startupWaitMs` after start, so a
   * client that lists at once sees the tools; a server that hangs costs that wait once, never more.
   */
  waitForStartup(): Promise<void> {
    const remainingMs = Math.max(0, this.startupWaitMs - (Date.now() - this.startedAtMs));
    this.startup ??= this.pool.waitForStartup(remainingMs);
    return this.startup;
  }

  /** The proxied tools under their exposed names. */
  listTools(): Tool[] {
    return this.catalog.toTools();
  }

  toHealth(): GatewayHealth {
    return {
      uptimeSeconds: Math.round((Date.now() - this.startedAtMs) / 1000),
      servers: this.pool.toStatuses(),
      telemetry: this.telemetry.toStatus(),
    };
  }

  private handleEvent(event: DownstreamEvent): void {
    logDownstreamEvent(this.options.logger, event);
    reportDownstreamEvent(this.telemetry, event);
    if (event.type === 'connected') void this.routes.resubscribe(event.serverId);
    this.notifyServerListeners();
  }

  /**
   * Every state change a server makes comes with an event or a tools change (after which the catalog
   * is rebuilt). A listener woken by the `connected` event, before the rebuild, resumes its waiter
   * only after the connection's synchronous ready → event → tools-changed sequence has run.
   */
  private notifyServerListeners(): void {
    for (const listener of [...this.serverListeners]) listener();
  }

  /** Calls `listener` after every tool call that got a result, with its caller (search learns from it). */
  onToolCalled(listener: (name: string, caller: Caller | undefined) => void): () => void {
    this.callListeners.add(listener);
    return () => this.callListeners.delete(listener);
  }

  /** Calls `listener` whenever the proxied tools change (a server connected, dropped or changed its list). */
  onCatalogChanged(listener: () => void): () => void {
    this.catalogListeners.add(listener);
    return () => this.catalogListeners.delete(listener);
  }

  private handleToolsChanged(): void {
    const changed = this.catalog.rebuild();
    this.notifyServerListeners();
    if (!changed) return;
    for (const client of this.clients.list()) client.notifyToolsChanged();
    for (const listener of this.catalogListeners) {
      try {
        listener();
      } catch (error) {
        this.options.logger.warn('a tool catalog listener failed', { error: String(error) });
      }
    }
  }

  private handleNotification(serverId: string, notification: JsonRpcNotification): void {
    const clients = this.clients.list();
    switch (notification.method) {
      case 'notifications/message': {
        const params = notification.params ?? {};
        const logger = typeof params.logger === 'string' ? `${serverId}/${params.logger}` : serverId;
        for (const client of clients) client.forwardLog({ ...params, logger }, serverId);
        return;
      }
      case 'notifications/resources/updated': {
        const uri = notification.params?.uri;
        if (typeof uri === 'string')
          for (const client of clients) client.forwardResourceUpdated(uri, notification);
        return;
      }
      case 'notifications/resources/list_changed':
      case 'notifications/prompts/list_changed':
        for (const client of clients) client.forwardNotification({ method: notification.method });
        return;
      default:
        this.options.logger.debug('ignored a downstream notification', {
          server: serverId,
          method: notification.method,
        });
    }
  }

  private async handleServerRequest(
    serverId: string,
    request: ServerRequest,
    signal: AbortSignal,
  ): Promise<Record<string, unknown>> {
    return this.clients.pickFor(serverId, request.method).request(request, signal);
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.list().map((client) => client.close()));
    await this.pool.close();
  }
}
