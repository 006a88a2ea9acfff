// What wraps every request pml sends to a server: the telemetry span (when on) and the local
// client-side latency metrics (always).
import type { DownstreamInstrument } from '../downstream/index.js';
import { toErrorType, type MetricsRegistry } from '../metrics/index.js';
import type { Telemetry } from '../telemetry/index.js';

export function buildDownstreamInstrument(
  telemetry: Telemetry,
  metrics: MetricsRegistry,
): DownstreamInstrument {
  return async (info, work) => {
    const startedAtMs = performance.now();
    try {
      const result = await (telemetry.enabled ? telemetry.traceDownstream(info, work) : work(undefined));
      metrics.recordDownstream(info.serverId, info.method, performance.now() - startedAtMs, undefined);
      return result;
    } catch (error) {
      metrics.recordDownstream(
        info.serverId,
        info.method,
        performance.now() - startedAtMs,
        toErrorType(error),
      );
      throw error;
    }
  };
}
