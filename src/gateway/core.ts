// What every client session shares: the downstream pool, the tool catalog and the routing tables.
// It also receives what servers send on their own (notifications, sampling/elicitation/roots
// requests) and hands each to the right session.
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import type { ResolvedConfig } from '../config/index.js';
import {
  DownstreamPool,
  type DownstreamEvent,
  type DownstreamHandlers,
  type JsonRpcNotification,
} from '../downstream/index.js';
import { createMetricsRegistry, type MetricsRegistry } from '../metrics/index.js';
import type { Logger } from '../shared/logger.js';
import { noopTelemetry, type Telemetry } from '../telemetry/index.js';
import { ArgumentValidator } from './argument-validator.js';
import { buildDownstreamInstrument } from './downstream-instrument.js';
import { logDownstreamEvent } from './log-downstream-event.js';
import { ProxyRoutes } from './proxy-routes.js';
import { reportDownstreamEvent } from './report-downstream-event.js';
import type { GatewaySession } from './session.js';
import { ToolCatalog } from './tool-catalog.js';
import { JsonRpcError } from './to-tool-result.js';

export interface GatewayCoreOptions {
  config: ResolvedConfig;
  logger: Logger;
  /** Restart crashed servers (off for one-shot commands such as `pml doctor`). */
  autoRestart?: boolean;
  telemetry?: Telemetry;
  /** Local latency and error metrics; independent of telemetry, always on. */
  metrics?: MetricsRegistry;
}

export class GatewayCore implements DownstreamHandlers {
  readonly pool: DownstreamPool;
  readonly catalog: ToolCatalog;
  readonly routes: ProxyRoutes;
  readonly validator = new ArgumentValidator();
  readonly startedAtMs = Date.now();
  readonly config: ResolvedConfig;
  readonly logger: Logger;
  readonly telemetry: Telemetry;
  readonly metrics: MetricsRegistry;
  private readonly sessions = new Set<GatewaySession>();
  private startup: Promise<void> | undefined;

  constructor(options: GatewayCoreOptions) {
    this.config = options.config;
    this.logger = options.logger;
    const telemetry = options.telemetry ?? noopTelemetry;
    this.telemetry = telemetry;
    const metrics = options.metrics ?? createMetricsRegistry();
    this.metrics = metrics;
    const { gateway } = options.config;
    this.pool = new DownstreamPool(
      options.config.servers,
      {
        autoRestart: options.autoRestart ?? true,
        instrument: buildDownstreamInstrument(telemetry, metrics),
        healthCheckIntervalMs: options.autoRestart === false ? 0 : gateway.healthCheckIntervalMs,
        healthCheckTimeoutMs: gateway.healthCheckTimeoutMs,
        restart: gateway.restart,
      },
      this,
    );
    const prefixModes = new Map(
      options.config.servers.map((server) => [server.id, server.toolPrefix ?? gateway.toolPrefix]),
    );
    const toPrefixMode = (serverId: string) => prefixModes.get(serverId) ?? gateway.toolPrefix;
    this.catalog = new ToolCatalog(this.pool, toPrefixMode);
    this.routes = new ProxyRoutes(this.pool, toPrefixMode, options.logger);
  }

  /** Starts every server in the background; the gateway answers clients meanwhile. */
  start(): void {
    void this.pool.start();
  }

  /**
   * The first tools/list waits for servers still starting, up to `startupWaitMs` after start, so a
   * client that lists at once sees the tools; a server that hangs costs that wait once, never more.
   */
  waitForStartup(): Promise<void> {
    const remainingMs = Math.max(0, this.config.gateway.startupWaitMs - (Date.now() - this.startedAtMs));
    this.startup ??= this.pool.waitForStartup(remainingMs);
    return this.startup;
  }

  addSession(session: GatewaySession): void {
    this.sessions.add(session);
  }

  removeSession(session: GatewaySession): void {
    this.sessions.delete(session);
  }

  onEvent(event: DownstreamEvent): void {
    logDownstreamEvent(this.logger, event);
    reportDownstreamEvent(this.telemetry, event);
  }

  onToolsChanged(): void {
    if (!this.catalog.rebuild()) return;
    for (const session of this.sessions) session.notifyToolsChanged();
  }

  onNotification(serverId: string, notification: JsonRpcNotification): void {
    switch (notification.method) {
      case 'notifications/message': {
        const params = notification.params ?? {};
        const logger = typeof params.logger === 'string' ? `${serverId}/${params.logger}` : serverId;
        for (const session of this.sessions) session.forwardLog({ ...params, logger });
        return;
      }
      case 'notifications/resources/updated': {
        const uri = notification.params?.uri;
        for (const session of this.sessions)
          if (typeof uri === 'string') session.forwardResourceUpdated(uri, notification);
        return;
      }
      case 'notifications/resources/list_changed':
      case 'notifications/prompts/list_changed':
        for (const session of this.sessions) session.forwardNotification({ method: notification.method });
        return;
      default:
        this.logger.debug('ignored a downstream notification', {
          server: serverId,
          method: notification.method,
        });
    }
  }

  async onServerRequest(
    serverId: string,
    request: { method: string; params?: Record<string, unknown> | undefined },
    signal: AbortSignal,
  ): Promise<Record<string, unknown>> {
    const session = this.pickSessionFor(serverId, request.method);
    if (!session) {
      throw new JsonRpcError(
        ErrorCode.MethodNotFound,
        `No MCP client connected to pml supports ${request.method} right now, so pml cannot forward this request from "${serverId}".`,
      );
    }
    return session.forwardServerRequest(request, signal);
  }

  /**
   * A server's request belongs to the client whose call is in flight on that server (the most recent
   * one if several); otherwise to the most recently active client that supports the method.
   */
  private pickSessionFor(serverId: string, method: string): GatewaySession | undefined {
    const able = [...this.sessions].filter((session) => session.supports(method));
    const busy = able.filter((session) => session.isCalling(serverId));
    const candidates = busy.length > 0 ? busy : able;
    return candidates.sort((a, b) => b.lastActiveMs - a.lastActiveMs)[0];
  }

  /** Forwards a client's notification (roots/list_changed) to every connected server. */
  broadcastToServers(notification: { method: string; params?: Record<string, unknown> }): void {
    for (const connection of this.pool.list()) void connection.notify(notification);
  }

  async close(): Promise<void> {
    await Promise.all([...this.sessions].map((session) => session.close()));
    await this.pool.close();
  }
}
