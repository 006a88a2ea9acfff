// The one way the core sends a request to a server: an `mcp.client` span when telemetry is on, the
// trace carried in the request's `_meta`, and the client-side latency metrics, always.
import { withMeta, type DownstreamPool, type RequestOptions } from '../../downstream/index.js';
import { MCPServerError } from '../../errors/index.js';
import { toErrorType, type MetricsRegistry } from '../../metrics/index.js';
import type { RequestScope, Telemetry } from '../../telemetry/index.js';
import type { CallsInFlight } from './calls-in-flight.js';

export type DownstreamRequest = { method: string; params?: Record<string, unknown> };

export interface SendOptions extends RequestOptions {
  /** The tool, prompt or URI, for the span name. */
  target?: string | undefined;
  /** The inbound request this one serves (its span is the parent). */
  parent?: RequestScope | undefined;
  /** The client the request is made for: what the server asks meanwhile goes back to it. */
  clientId?: string | undefined;
}

export type DownstreamSender = (
  serverId: string,
  request: DownstreamRequest,
  options?: SendOptions,
) => Promise<Record<string, unknown>>;

export function createDownstreamSender(
  pool: DownstreamPool,
  telemetry: Telemetry,
  metrics: MetricsRegistry,
  callsInFlight: CallsInFlight,
): DownstreamSender {
  return async (serverId, request, options = {}) => {
    const connection = pool.get(serverId);
    if (!connection) {
      throw new MCPServerError(`Server "${serverId}" is not configured.`, {
        serverId,
        reason: 'unavailable',
        transport: 'stdio',
        operation: request.method,
        tool: options.tool,
      });
    }
    const send = (traceMeta: Record<string, string> | undefined) =>
      connection.request(traceMeta ? withMeta(request, traceMeta) : request, options);
    const startedAtMs = performance.now();
    const endCall = callsInFlight.begin(serverId, options.clientId);
    try {
      const info = {
        serverId,
        method: request.method,
        target: options.target,
        transport: connection.config.transport,
        parent: options.parent,
      };
      const result = await (telemetry.enabled ? telemetry.traceDownstream(info, send) : send(undefined));
      metrics.recordDownstream(serverId, request.method, performance.now() - startedAtMs, undefined);
      return result;
    } catch (error) {
      metrics.recordDownstream(serverId, request.method, performance.now() - startedAtMs, toErrorType(error));
      throw error;
    } finally {
      endCall();
    }
  };
}
