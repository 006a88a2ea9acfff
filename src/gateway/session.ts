// One connected MCP client: an SDK Server with pml's handlers, speaking over stdio or one HTTP
// session. Shared state lives in GatewayCore; here is only what belongs to this client (its log
// level, its subscriptions, the calls it has in flight).
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CompleteRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  RootsListChangedNotificationSchema,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  type LoggingLevel,
} from '@modelcontextprotocol/sdk/types.js';
import { wrapOperation } from '../metrics/index.js';
import { PASSTHROUGH_RESULT } from '../shared/passthrough-result.js';
import { PML_VERSION } from '../shared/version.js';
import type { NetworkTransport, RequestScope } from '../telemetry/index.js';
import type { GatewayCore } from './core.js';
import { GATEWAY_STATUS_TOOL } from './gateway-status.js';
import { LeanCallToolRequestSchema, LeanServer, toCallToolParams } from './lean-server.js';
import { handleToolCall } from './tool-call.js';
import { JsonRpcError, toJsonRpcError } from './to-tool-result.js';

const LOG_LEVEL_ORDER: LoggingLevel[] = [
  'debug',
  'info',
  'notice',
  'warning',
  'error',
  'critical',
  'alert',
  'emergency',
];
// Sampling and elicitation wait on a person; the downstream server's own timeout bounds them too.
const CLIENT_REQUEST_TIMEOUT_MS = 10 * 60_000;

const CAPABILITY_BY_METHOD: Record<string, 'sampling' | 'elicitation' | 'roots'> = {
  'sampling/createMessage': 'sampling',
  'elicitation/create': 'elicitation',
  'roots/list': 'roots',
};

export class GatewaySession {
  readonly server: LeanServer;
  lastActiveMs = Date.now();
  private readonly callsInFlight = new Map<string, number>();
  private readonly subscriptions = new Set<string>();
  private logLevel: LoggingLevel | undefined;
  private closed = false;

  constructor(
    private readonly core: GatewayCore,
    readonly transport: NetworkTransport,
  ) {
    this.server = new LeanServer(
      { name: 'pml', version: PML_VERSION },
      {
        capabilities: {
          tools: { listChanged: true },
          resources: { subscribe: true, listChanged: true },
          prompts: { listChanged: true },
          logging: {},
          completions: {},
        },
        instructions:
          'pml is a gateway: tools from several MCP servers appear here as <server>__<tool>. gateway_status shows their health.',
      },
    );
    this.registerHandlers();
  }

  async connect(transport: Transport): Promise<void> {
    this.core.addSession(this);
    this.server.onclose = () => void this.close();
    await this.server.connect(transport);
  }

  private registerHandlers(): void {
    const server = this.server;
    const core = this.core;
    const touch = () => (this.lastActiveMs = Date.now());
    server.setRequestHandler(ListToolsRequestSchema, (request, extra) =>
      this.guard(request, extra, undefined, async (scope) => {
        await core.waitForStartup();
        const tools = [GATEWAY_STATUS_TOOL, ...core.catalog.toTools()];
        scope.setData('pml.tools.count', tools.length);
        scope.setData('pml.tools.mode', core.config.gateway.toolsMode);
        return { tools };
      }),
    );
    server.setRequestHandler(LeanCallToolRequestSchema, (request, extra) => {
      touch();
      const params = toCallToolParams(request.params);
      const tool = params.name;
      const isMeta = tool === GATEWAY_STATUS_TOOL.name;
      const operation = isMeta ? 'mcp.gateway_status' : 'mcp.tools.call';
      return wrapOperation(core.metrics, operation, 'tools/call', tool, () =>
        core.telemetry.traceRequest(
          {
            method: 'tools/call',
            target: tool,
            operation,
            transport: this.transport,
            sessionId: extra.sessionId,
            requestId: extra.requestId,
            meta: params._meta,
          },
          (scope) => handleToolCall(core, this, params, extra, scope),
        ),
      );
    });
    server.setRequestHandler(ListResourcesRequestSchema, (request, extra) =>
      this.guard(request, extra, undefined, async () => ({ resources: await core.routes.listResources() })),
    );
    server.setRequestHandler(ListResourceTemplatesRequestSchema, (request, extra) =>
      this.guard(request, extra, undefined, async () => ({
        resourceTemplates: await core.routes.listResourceTemplates(),
      })),
    );
    server.setRequestHandler(ReadResourceRequestSchema, (request, extra) =>
      this.guard(request, extra, request.params.uri, async () => {
        const owner = await core.routes.findResourceOwner(request.params.uri);
        return owner.request(
          { method: request.method, params: request.params },
          { signal: extra.signal, label: `resources/read ${request.params.uri}` },
        );
      }),
    );
    server.setRequestHandler(SubscribeRequestSchema, (request, extra) =>
      this.guard(request, extra, request.params.uri, async () => {
        const owner = await core.routes.findResourceOwner(request.params.uri);
        this.subscriptions.add(request.params.uri);
        return owner.request(
          { method: request.method, params: request.params },
          { label: 'resources/subscribe' },
        );
      }),
    );
    server.setRequestHandler(UnsubscribeRequestSchema, (request, extra) =>
      this.guard(request, extra, request.params.uri, async () => {
        this.subscriptions.delete(request.params.uri);
        const owner = await core.routes.findResourceOwner(request.params.uri);
        return owner.request(
          { method: request.method, params: request.params },
          { label: 'resources/unsubscribe' },
        );
      }),
    );
    server.setRequestHandler(ListPromptsRequestSchema, (request, extra) =>
      this.guard(request, extra, undefined, async () => ({ prompts: await core.routes.listPrompts() })),
    );
    server.setRequestHandler(GetPromptRequestSchema, (request, extra) =>
      this.guard(request, extra, request.params.name, async () => {
        const { connection, name } = await core.routes.findPrompt(request.params.name);
        return connection.request(
          { method: request.method, params: { ...request.params, name } },
          { signal: extra.signal, label: `prompts/get ${name}` },
        );
      }),
    );
    server.setRequestHandler(CompleteRequestSchema, (request, extra) =>
      this.guard(request, extra, undefined, async () => {
        const ref = request.params.ref;
        if (ref.type === 'ref/prompt') {
          const { connection, name } = await core.routes.findPrompt(ref.name);
          return connection.request(
            { method: request.method, params: { ...request.params, ref: { ...ref, name } } },
            { signal: extra.signal, label: 'completion/complete' },
          );
        }
        const owner = await core.routes.findResourceOwner(ref.uri);
        return owner.request(
          { method: request.method, params: request.params },
          { signal: extra.signal, label: 'completion/complete' },
        );
      }),
    );
    server.setRequestHandler(SetLevelRequestSchema, async (request) => {
      this.logLevel = request.params.level;
      await Promise.all(
        core.routes
          .usable('logging')
          .map((connection) =>
            connection
              .request({ method: request.method, params: request.params }, { label: 'logging/setLevel' })
              .catch(() => undefined),
          ),
      );
      return {};
    });
    server.setNotificationHandler(RootsListChangedNotificationSchema, () => {
      core.broadcastToServers({ method: 'notifications/roots/list_changed' });
    });
  }

  /**
   * Runs a non-tool request in its root span, records its duration and outcome, and turns its
   * failures into JSON-RPC errors.
   */
  private guard<T>(
    request: { method: string; params?: { _meta?: Record<string, unknown> } },
    extra: { sessionId?: string | undefined; requestId: string | number },
    target: string | undefined,
    work: (scope: RequestScope) => Promise<T>,
  ): Promise<T> {
    this.lastActiveMs = Date.now();
    const info = {
      method: request.method,
      target,
      operation: `mcp.${request.method.replaceAll('/', '.')}`,
      transport: this.transport,
      sessionId: extra.sessionId,
      requestId: extra.requestId,
      meta: request.params?._meta,
    };
    const metrics = this.core.metrics;
    return this.core.telemetry.traceRequest(info, async (scope) => {
      try {
        return await wrapOperation(metrics, info.operation, info.method, undefined, () => work(scope));
      } catch (error) {
        if (!(error instanceof JsonRpcError))
          this.core.telemetry.captureError(error, { transport: this.transport, operation: info.operation });
        throw toJsonRpcError(error);
      }
    });
  }

  beginCall(serverId: string): void {
    this.callsInFlight.set(serverId, (this.callsInFlight.get(serverId) ?? 0) + 1);
  }

  endCall(serverId: string): void {
    const count = (this.callsInFlight.get(serverId) ?? 1) - 1;
    if (count <= 0) this.callsInFlight.delete(serverId);
    else this.callsInFlight.set(serverId, count);
  }

  isCalling(serverId: string): boolean {
    return this.callsInFlight.has(serverId);
  }

  supports(method: string): boolean {
    const capability = CAPABILITY_BY_METHOD[method];
    return capability !== undefined && Boolean(this.server.getClientCapabilities()?.[capability]);
  }

  async forwardServerRequest(
    request: { method: string; params?: Record<string, unknown> | undefined },
    signal: AbortSignal,
  ): Promise<Record<string, unknown>> {
    if (!this.supports(request.method))
      throw new JsonRpcError(
        ErrorCode.MethodNotFound,
        `The connected client does not support ${request.method}`,
      );
    return (await this.server.request(request as never, PASSTHROUGH_RESULT as never, {
      signal,
      timeout: CLIENT_REQUEST_TIMEOUT_MS,
    })) as Record<string, unknown>;
  }

  notifyToolsChanged(): void {
    if (this.server.getClientCapabilities()) void this.server.sendToolListChanged().catch(() => {});
  }

  forwardLog(params: Record<string, unknown>): void {
    const level = params.level as LoggingLevel;
    if (this.logLevel && LOG_LEVEL_ORDER.indexOf(level) < LOG_LEVEL_ORDER.indexOf(this.logLevel)) return;
    this.forwardNotification({ method: 'notifications/message', params });
  }

  forwardResourceUpdated(
    uri: string,
    notification: { method: string; params?: Record<string, unknown> | undefined },
  ): void {
    if (this.subscriptions.has(uri)) this.forwardNotification(notification);
  }

  forwardNotification(notification: { method: string; params?: Record<string, unknown> | undefined }): void {
    if (!this.server.getClientCapabilities()) return;
    void this.server.notification(notification as never).catch(() => {});
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.core.removeSession(this);
    await this.server.close().catch(() => {});
  }
}
