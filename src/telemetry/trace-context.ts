// Reads the trace a client sent in a request's `_meta`: Sentry's `sentry-trace` + `baggage`, or
// W3C `traceparent`. pml continues it (request-trace.ts writes what goes downstream).

export interface InboundTrace {
  traceId: string;
  parentSpanId: string;
  /** The parent's decision, when it made one. */
  sampled: boolean | undefined;
  baggage: string | undefined;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const SENTRY_TRACE = /^([0-9a-f]{32})-([0-9a-f]{16})(?:-([01]))?$/;

export function readInboundTrace(meta: Record<string, unknown> | undefined): InboundTrace | undefined {
  if (!meta) return undefined;
  const baggage = typeof meta.baggage === 'string' ? meta.baggage : undefined;
  const sentryTrace =
    typeof meta['sentry-trace'] === 'string' ? SENTRY_TRACE.exec(meta['sentry-trace']) : null;
  if (sentryTrace) {
    const flag = sentryTrace[3];
    return {
      traceId: sentryTrace[1]!,
      parentSpanId: sentryTrace[2]!,
      sampled: flag === undefined ? undefined : flag === '1',
      baggage,
    };
  }
  const traceparent = typeof meta.traceparent === 'string' ? TRACEPARENT.exec(meta.traceparent) : null;
  if (!traceparent) return undefined;
  return {
    traceId: traceparent[1]!,
    parentSpanId: traceparent[2]!,
    sampled: (parseInt(traceparent[3]!, 16) & 1) === 1,
    baggage,
  };
}
