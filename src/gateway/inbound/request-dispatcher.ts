// Takes every inbound request that has a route off the transport and runs it through the request
// pipeline, answering on the same transport; the SDK Server keeps the handshake, ping and what pml
// asks of the client. Serving requests here spares each one the SDK's three zod parses of the
// message, which were most of pml's CPU per call.
import type { Transport, JSONRPCMessage } from '@modelcontextprotocol/server';
import { JSON_RPC } from '../../errors/index.js';
import { InterceptingTransport } from '../../shared/intercepting-transport.js';
import type { MethodRoute, RequestPipeline } from './request-pipeline.js';

type RequestId = string | number;
type Message = { id?: unknown; method?: unknown; params?: Record<string, unknown> };

export class RequestDispatcher {
  private readonly inFlight = new Map<RequestId, AbortController>();

  constructor(
    private readonly routes: ReadonlyMap<string, MethodRoute>,
    private readonly pipeline: RequestPipeline,
    private readonly onRequest: () => void,
    /** The revision the session negotiated, for the telemetry of each request. */
    private readonly protocolVersion: () => string | undefined = () => undefined,
  ) {}

  /** The transport to give the SDK Server: requests with a route never reach it. */
  attach(inner: Transport): InterceptingTransport {
    const transport: InterceptingTransport = new InterceptingTransport(
      inner,
      (message) => this.take(message as Message, transport),
      () => this.abortAll('the client disconnected'),
    );
    return transport;
  }

  private take(message: Message, transport: Transport): boolean {
    const { id, method } = message;
    if (typeof method !== 'string') return false;
    if (id === undefined) return method === 'notifications/cancelled' && this.cancel(message.params);
    const route = this.routes.get(method);
    if (!route || !isRequestId(id)) return false;
    const send = (reply: Record<string, unknown>) =>
      transport.send({ jsonrpc: '2.0', ...reply } as JSONRPCMessage, { relatedRequestId: id });
    void this.serve(id, route, message.params, transport.sessionId, send)
      .then((reply) => reply && send(reply))
      .catch(() => {}); // the client is gone; nothing left to tell it
    return true;
  }

  /**
   * Serves one request outside any transport: HTTP answers a plain request as JSON this way.
   * Undefined when no route serves the method (the SDK's path then takes it).
   */
  answer(message: unknown, sessionId: string | undefined): Promise<JSONRPCMessage | undefined> | undefined {
    const { id, method, params } = (message ?? {}) as Message;
    const route = typeof method === 'string' ? this.routes.get(method) : undefined;
    if (!route || !isRequestId(id)) return undefined;
    // Notifications tied to the request (progress) need a stream: the caller checks there is none.
    const send = () => Promise.resolve();
    return this.serve(id, route, params, sessionId, send).then(
      (reply) => reply && ({ jsonrpc: '2.0', ...reply } as JSONRPCMessage),
    );
  }

  /** The reply to send, or undefined when the request was cancelled (a cancelled request gets none). */
  private async serve(
    id: RequestId,
    route: MethodRoute,
    params: Record<string, unknown> | undefined,
    sessionId: string | undefined,
    send: (notification: Record<string, unknown>) => Promise<void>,
  ): Promise<Record<string, unknown> | undefined> {
    this.onRequest();
    const controller = new AbortController();
    this.inFlight.set(id, controller);
    try {
      const result = await this.pipeline.run(route, params, {
        signal: controller.signal,
        requestId: id,
        sessionId,
        protocolVersion: this.protocolVersion(),
        sendNotification: (notification) =>
          controller.signal.aborted ? Promise.resolve() : send(notification),
      });
      return controller.signal.aborted ? undefined : { id, result };
    } catch (caught) {
      if (controller.signal.aborted) return undefined;
      const error = caught as { code?: unknown; message?: unknown; data?: unknown };
      return {
        id,
        error: {
          code: Number.isSafeInteger(error.code) ? error.code : JSON_RPC.internalError,
          message: typeof error.message === 'string' ? error.message : 'Internal error in pml',
          ...(error.data !== undefined ? { data: error.data } : {}),
        },
      };
    } finally {
      this.inFlight.delete(id);
    }
  }

  /** A cancelled request is not answered (the MCP spec); its handler sees the abort. */
  private cancel(params: Record<string, unknown> | undefined): boolean {
    const requestId = params?.requestId as RequestId | undefined;
    const controller = requestId === undefined ? undefined : this.inFlight.get(requestId);
    if (!controller) return false;
    controller.abort(typeof params?.reason === 'string' ? params.reason : 'cancelled by the client');
    return true;
  }

  private abortAll(reason: string): void {
    for (const controller of this.inFlight.values()) controller.abort(reason);
    this.inFlight.clear();
  }
}

function isRequestId(id: unknown): id is RequestId {
  return typeof id === 'string' || typeof id === 'number';
}
