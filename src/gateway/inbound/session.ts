// One connected MCP client: an SDK Server whose every request runs through the request pipeline,
// over stdio, one HTTP session, or an in-memory transport. Shared state lives in the core; here is
// only what belongs to this client (its log level, its subscriptions, its activity).
import { randomUUID } from 'node:crypto';
import { Server } from '@modelcontextprotocol/server';
import type { Transport } from '@modelcontextprotocol/server';
import { UnsupportedRequestError } from '../../errors/index.js';
import { PASSTHROUGH_RESULT } from '../../shared/passthrough-result.js';
import { PML_VERSION } from '../../shared/version.js';
import type { NetworkTransport } from '../../telemetry/index.js';
import {
  CAPABILITY_OF_SERVER_REQUEST,
  type ConnectedClient,
  type ServerNotification,
  type ServerRequest,
} from '../core/client-registry.js';
import type { GatewayCore } from '../core/gateway-core.js';
import type { MetaToolTable } from '../meta-tools/meta-tool-table.js';
import { GATEWAY_CAPABILITIES, GATEWAY_INSTRUCTIONS } from './gateway-identity.js';
import { buildMethodRoutes, type ClientState } from './method-routes.js';
import { LOG_LEVELS } from './request-params.js';
import { RequestDispatcher } from './request-dispatcher.js';
import { createRequestPipeline, type MethodRoute } from './request-pipeline.js';
import { buildToolCallRoute } from './tool-call-route.js';
import type { ToolsListing } from './tools-listing.js';
import type { RequestStateSeal } from './modern/request-state-seal.js';

// Sampling and elicitation wait on a person; the downstream server's own timeout bounds them too.
const CLIENT_REQUEST_TIMEOUT_MS = 10 * 60_000;

/** What every session of one gateway shares. */
export interface GatewayServices {
  core: GatewayCore;
  metaTools: MetaToolTable;
  tools: ToolsListing;
  /** Signs the requestState handed to 2026-07-28 clients (the same key on every instance). */
  requestStateSeal: RequestStateSeal;
}

export class GatewaySession implements ConnectedClient {
  readonly id = randomUUID();
  readonly server: Server;
  lastActiveMs = Date.now();
  private readonly state: ClientState = { clientId: this.id, subscriptions: new Set(), logLevel: undefined };
  private readonly dispatcher: RequestDispatcher;
  private closed = false;

  constructor(
    private readonly services: GatewayServices,
    readonly transport: NetworkTransport,
  ) {
    this.server = new Server(
      { name: 'pml', version: PML_VERSION },
      { capabilities: GATEWAY_CAPABILITIES, instructions: GATEWAY_INSTRUCTIONS },
    );
    const { core } = services;
    const pipeline = createRequestPipeline({ telemetry: core.telemetry, metrics: core.metrics, transport });
    const toolCall = buildToolCallRoute({
      invoker: core.invoker,
      metaTools: services.metaTools,
      caller: { clientId: this.id, transport },
    });
    const routes = [toolCall, ...buildMethodRoutes(core.routes, services.tools, this.state)] as MethodRoute[];
    this.dispatcher = new RequestDispatcher(
      new Map(routes.map((route) => [route.method, route])),
      pipeline,
      () => (this.lastActiveMs = Date.now()),
      () => this.server.getNegotiatedProtocolVersion(),
    );
    this.server.setNotificationHandler('notifications/roots/list_changed', () => {
      core.routes.broadcast({ method: 'notifications/roots/list_changed' });
    });
  }

  async connect(transport: Transport): Promise<void> {
    this.services.core.clients.add(this);
    this.server.onclose = () => void this.close();
    await this.server.connect(this.dispatcher.attach(transport));
  }

  /** Serves a plain request outside the transport (HTTP's JSON answer); undefined if it has no route. */
  answer(message: unknown, sessionId: string | undefined) {
    return this.dispatcher.answer(message, sessionId);
  }

  supports(method: string): boolean {
    const capability = CAPABILITY_OF_SERVER_REQUEST[method];
    return capability !== undefined && Boolean(this.server.getClientCapabilities()?.[capability]);
  }

  async request(request: ServerRequest, signal: AbortSignal): Promise<Record<string, unknown>> {
    if (!this.supports(request.method))
      throw new UnsupportedRequestError(`The connected client does not support ${request.method}.`, {
        method: request.method,
      });
    return (await this.server.request(request as never, PASSTHROUGH_RESULT, {
      signal,
      timeout: CLIENT_REQUEST_TIMEOUT_MS,
    })) as Record<string, unknown>;
  }

  notifyToolsChanged(): void {
    if (this.server.getClientCapabilities()) void this.server.sendToolListChanged().catch(() => {});
  }

  forwardLog(params: Record<string, unknown>): void {
    const threshold = this.state.logLevel;
    const level = params.level as (typeof LOG_LEVELS)[number];
    if (threshold && LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(threshold)) return;
    this.forwardNotification({ method: 'notifications/message', params });
  }

  forwardResourceUpdated(uri: string, notification: ServerNotification): void {
    if (this.state.subscriptions.has(uri)) this.forwardNotification(notification);
  }

  forwardNotification(notification: ServerNotification): void {
    if (!this.server.getClientCapabilities()) return;
    void this.server.notification(notification as never).catch(() => {});
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.services.core.clients.remove(this);
    this.services.core.routes.releaseClient(this.id);
    await this.server.close().catch(() => {});
  }
}
