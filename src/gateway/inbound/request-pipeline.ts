// One pipeline for every inbound request: guard (params checked) → request scope (local metrics
// outside, the telemetry root span inside, always in this order) → handler → one error mapping.
import { isCancellation, toErrorAnswer } from '../../errors/index.js';
import { TOOL_ERROR, toErrorType, type MetricsRegistry } from '../../metrics/index.js';
import {
  ATTR_ERROR_TYPE,
  ATTR_RPC_RESPONSE_STATUS_CODE,
  type NetworkTransport,
  type RequestScope,
  type Telemetry,
} from '../../telemetry/index.js';
import { toJsonRpcError } from './error-mapping.js';

export interface RequestContext {
  scope: RequestScope;
  signal: AbortSignal;
  requestId: string | number;
  /** Sends a notification tied to this request (progress). */
  sendNotification(notification: { method: string; params: Record<string, unknown> }): Promise<void>;
}

export interface RequestDescription {
  /** `pml.operation`: the ADR's transaction name. */
  operation: string;
  /** The tool, prompt or URI the request is about, for the span name. */
  target?: string | undefined;
  /** The tool label of the metrics, for tools/call. */
  tool?: string | undefined;
}

/** One inbound method: how to check its params, name it, serve it, and answer its failures. */
export interface MethodRoute<P = unknown, R = unknown> {
  method: string;
  parse(params: unknown): P;
  describe(params: P): RequestDescription;
  handle(params: P, context: RequestContext): Promise<R>;
  /** The default throws the JSON-RPC error of the table; tools/call answers `isError` where it can. */
  answerError?(error: unknown, scope: RequestScope): R;
}

export interface InboundExtra {
  signal: AbortSignal;
  requestId: string | number;
  sessionId?: string | undefined;
  /** The MCP revision of the request: the session's, or a 2026-07-28 request's own. */
  protocolVersion?: string | undefined;
  sendNotification: RequestContext['sendNotification'];
}

/** `pml.operation` of a method without an operation of its own: `mcp.resources.read`, ... */
export function toOperationName(method: string): string {
  return `mcp.${method.replaceAll('/', '.')}`;
}

export interface RequestPipeline {
  run<P, R>(route: MethodRoute<P, R>, params: unknown, extra: InboundExtra): Promise<R>;
}

export function createRequestPipeline(deps: {
  telemetry: Telemetry;
  metrics: MetricsRegistry;
  transport: NetworkTransport;
}): RequestPipeline {
  const { telemetry, metrics, transport } = deps;
  return {
    async run(route, rawParams, extra) {
      const startedAtMs = performance.now();
      const record = (operation: string, tool: string | undefined, errorType: string | undefined) =>
        metrics.recordOperation(operation, route.method, tool, performance.now() - startedAtMs, errorType);
      let params;
      let description: RequestDescription;
      try {
        params = route.parse(rawParams);
        description = route.describe(params);
      } catch (error) {
        const answer = toJsonRpcError(error);
        record(toOperationName(route.method), undefined, toErrorType(answer));
        throw answer;
      }
      const { operation, target, tool } = description;
      const info = {
        method: route.method,
        target,
        operation,
        transport,
        sessionId: extra.sessionId,
        requestId: extra.requestId,
        protocolVersion: extra.protocolVersion,
        meta: (rawParams as { _meta?: Record<string, unknown> } | undefined)?._meta,
      };
      // The failure the handler threw, if any: the metrics name it, however it was answered.
      let failure: { error: unknown } | undefined;
      try {
        const result = await telemetry.traceRequest(info, async (scope) => {
          try {
            return await route.handle(params, {
              scope,
              signal: extra.signal,
              requestId: extra.requestId,
              sendNotification: extra.sendNotification,
            });
          } catch (error) {
            failure = { error };
            if (toErrorAnswer(error).capture)
              telemetry.captureError(error, { tool, transport, operation, scope });
            if (route.answerError) return route.answerError(error, scope);
            const answer = toJsonRpcError(error);
            scope.setData(ATTR_RPC_RESPONSE_STATUS_CODE, String(answer.code));
            scope.setData(ATTR_ERROR_TYPE, String(answer.code));
            throw answer;
          }
        });
        // Answered as a result, a failure keeps its own type (timeout, server_crashed...).
        const isError = (result as { isError?: unknown } | undefined)?.isError === true;
        record(operation, tool, failure ? toErrorType(failure.error) : isError ? TOOL_ERROR : undefined);
        return result;
      } catch (answer) {
        // Answered as a JSON-RPC error, its code (OpenTelemetry's MCP conventions); a cancellation
        // stays a cancellation.
        const cancelled = failure !== undefined && isCancellation(failure.error);
        record(operation, tool, toErrorType(cancelled ? failure!.error : answer));
        throw answer;
      }
    },
  };
}
