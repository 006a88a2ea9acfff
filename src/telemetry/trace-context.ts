// Trace propagation in MCP `_meta`: reads an inbound trace (Sentry's `sentry-trace` + `baggage`, or
// W3C `traceparent`) and writes all three on downstream requests.

export interface IncomingTrace {
  sentryTrace: string;
  baggage: string | undefined;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const SENTRY_TRACE = /^([0-9a-f]{32})-([0-9a-f]{16})(?:-([01]))?$/;

export function readIncomingTrace(meta: Record<string, unknown> | undefined): IncomingTrace | undefined {
  if (!meta) return undefined;
  const baggage = typeof meta.baggage === 'string' ? meta.baggage : undefined;
  const sentryTrace = meta['sentry-trace'];
  if (typeof sentryTrace === 'string' && SENTRY_TRACE.test(sentryTrace)) return { sentryTrace, baggage };
  const traceparent = typeof meta.traceparent === 'string' ? TRACEPARENT.exec(meta.traceparent) : null;
  if (traceparent) {
    const sampled = (parseInt(traceparent[3]!, 16) & 1) === 1 ? '1' : '0';
    return { sentryTrace: `${traceparent[1]}-${traceparent[2]}-${sampled}`, baggage };
  }
  return undefined;
}

export function toTraceMeta(
  traceData: Record<string, string | undefined>,
): Record<string, string> | undefined {
  const sentryTrace = traceData['sentry-trace'];
  const match = sentryTrace ? SENTRY_TRACE.exec(sentryTrace) : null;
  if (!sentryTrace || !match) return undefined;
  const meta: Record<string, string> = {
    'sentry-trace': sentryTrace,
    traceparent: `00-${match[1]}-${match[2]}-${match[3] === '1' ? '01' : '00'}`,
  };
  if (traceData.baggage) meta.baggage = traceData.baggage;
  return meta;
}
