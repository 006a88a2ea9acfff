// Each inbound request's trace, which pml keeps itself and hands along with the request (no async
// context: on Node 20 an AsyncLocalStorage turns on promise hooks for every promise of the
// process, ~11 µs per request here): the trace id, the span id downstream servers see as parent,
// the sampling decision and the tags. A sampled request also records its spans (recorded-span.ts);
// nothing goes through the SDK's span machinery, which cost ~0.6 ms of CPU per sampled request on
// this machine, and ~60 µs per unsampled one.
import { toRandomHex } from './random-ids.js';
import type { RecordedSpan } from './recorded-span.js';
import type { InboundTrace } from './trace-context.js';

export interface RequestTrace {
  readonly traceId: string;
  /** The root span's id: the parent of downstream spans, and of the servers' own spans. */
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly sampled: boolean;
  readonly sampleRand: number;
  readonly sampleRate: number;
  /** The inbound `sentry-*` baggage, passed on as it came (a trace's sampling context is frozen). */
  readonly inboundBaggage: string | undefined;
  readonly tags: Record<string, string>;
  /** Sampled requests only: the root span and the downstream spans under it. */
  readonly root: RecordedSpan | undefined;
  readonly children: RecordedSpan[];
  /** Built once per trace: the sampling context and its baggage form. */
  readonly cached: { samplingContext?: Record<string, string>; baggage?: string };
}

export function createRequestTrace(options: {
  inbound: InboundTrace | undefined;
  sampleRand: number;
  sampleRate: number;
  root: RecordedSpan | undefined;
}): RequestTrace {
  const { inbound, root } = options;
  return {
    traceId: inbound?.traceId ?? toRandomHex(16),
    spanId: root?.spanId ?? toRandomHex(8),
    parentSpanId: inbound?.parentSpanId,
    sampled: root !== undefined,
    sampleRand: options.sampleRand,
    sampleRate: options.sampleRate,
    inboundBaggage: inbound ? toSentryBaggage(inbound.baggage) : undefined,
    tags: {},
    root,
    children: [],
    cached: {},
  };
}

/**
 * The dynamic sampling context of a trace pml started (Sentry reads it from `baggage` downstream and
 * from the envelope header): the client's part (`clientEntries`: environment, release, public key)
 * plus this trace's id, rate and decision.
 */
export function toDynamicSamplingContext(
  trace: RequestTrace,
  clientEntries: Record<string, string>,
): Record<string, string> {
  if (trace.cached.samplingContext) return trace.cached.samplingContext;
  if (trace.inboundBaggage !== undefined)
    return (trace.cached.samplingContext = fromBaggage(trace.inboundBaggage));
  return (trace.cached.samplingContext = {
    ...clientEntries,
    trace_id: trace.traceId,
    sample_rate: String(trace.sampleRate),
    sample_rand: trace.sampleRand.toFixed(6),
    sampled: String(trace.sampled),
    ...(trace.root ? { transaction: trace.root.name } : {}),
  });
}

/** `sentry-trace`, `traceparent` and `baggage` for a request sent on behalf of the trace. */
export function toTraceMeta(
  trace: RequestTrace,
  parentSpanId: string,
  clientBaggage: string,
): Record<string, string> {
  const flag = trace.sampled ? '1' : '0';
  trace.cached.baggage ??= trace.inboundBaggage ?? toOwnBaggage(trace, clientBaggage);
  return {
    'sentry-trace': `${trace.traceId}-${parentSpanId}-${flag}`,
    traceparent: `00-${trace.traceId}-${parentSpanId}-0${flag}`,
    baggage: trace.cached.baggage,
  };
}

/** The baggage form of the client's entries, encoded once (they are the same for every trace). */
export function toClientBaggage(clientEntries: Record<string, string>): string {
  return Object.entries(clientEntries)
    .map(([key, value]) => `sentry-${key}=${encodeURIComponent(value)}`)
    .join(',');
}

function toOwnBaggage(trace: RequestTrace, clientBaggage: string): string {
  const own = `sentry-trace_id=${trace.traceId},sentry-sample_rate=${trace.sampleRate},sentry-sample_rand=${trace.sampleRand.toFixed(6)},sentry-sampled=${trace.sampled}`;
  const transaction = trace.root ? `,sentry-transaction=${encodeURIComponent(trace.root.name)}` : '';
  return `${clientBaggage ? `${clientBaggage},` : ''}${own}${transaction}`;
}

/** The `sentry-*` entries of a baggage header (third-party entries are not ours to pass on). */
export function toSentryBaggage(baggage: string | undefined): string | undefined {
  const entries = (baggage ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.startsWith('sentry-'));
  return entries.length > 0 ? entries.join(',') : undefined;
}

function fromBaggage(baggage: string): Record<string, string> {
  const context: Record<string, string> = {};
  for (const entry of baggage.split(',')) {
    const separator = entry.indexOf('=');
    if (separator < 0) continue;
    const key = entry.slice('sentry-'.length, separator);
    try {
      context[key] = decodeURIComponent(entry.slice(separator + 1));
    } catch {
      context[key] = entry.slice(separator + 1);
    }
  }
  return context;
}
