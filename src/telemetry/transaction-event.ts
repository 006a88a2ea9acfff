// The static transaction event that carries a sampled request's root span and its children to
// Sentry: the same JSON the SDK would build, without its per-event processing (normalisation, scope
// merging, integrations), which was most of its cost.
import { toRandomHex } from './random-ids.js';
import type { RecordedSpan } from './recorded-span.js';
import type { RequestTrace } from './request-trace.js';

/** The transaction event of a finished sampled request. */
export function buildTransactionEvent(
  trace: RequestTrace,
  root: RecordedSpan,
  context: { release: string; environment: string; dynamicSamplingContext: Record<string, string> },
) {
  const { span_id, parent_span_id, op, status, origin, data, start_timestamp, timestamp } = root.toJson(
    trace.traceId,
  );
  return {
    type: 'transaction' as const,
    event_id: toRandomHex(16),
    platform: 'node',
    transaction: root.name,
    transaction_info: { source: 'custom' },
    start_timestamp,
    timestamp,
    release: context.release,
    environment: context.environment,
    tags: { ...trace.tags },
    contexts: {
      trace: {
        trace_id: trace.traceId,
        span_id,
        ...(parent_span_id ? { parent_span_id } : {}),
        op,
        status,
        ...(origin ? { origin } : {}),
        data: { ...data, 'sentry.source': 'custom', 'sentry.sample_rate': trace.sampleRate },
      },
    },
    spans: trace.children.map((child) => child.toJson(trace.traceId)),
    // Read by the SDK for the envelope's `trace` header, then removed before sending.
    sdkProcessingMetadata: { dynamicSamplingContext: context.dynamicSamplingContext },
  };
}
