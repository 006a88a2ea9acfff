// The light path of a request that is not sampled (at rate 0.1, nine requests in ten): pml keeps
// its trace id and tags in its own async context and touches Sentry only if an error is captured.
// Through the SDK (new trace scope, tags, getTraceData) that path cost ~60 µs per request.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomFillSync } from 'node:crypto';

export interface UnsampledTrace {
  readonly traceId: string;
  /** The id downstream servers see as their parent (Sentry's propagation span id). */
  readonly spanId: string;
  readonly parentSpanId: string | undefined;
  readonly sampleRand: number;
  /** The inbound `sentry-*` baggage, passed on as it came (Sentry freezes it too); else undefined. */
  readonly inboundBaggage: string | undefined;
  readonly tags: Record<string, string>;
}

export interface InboundTrace {
  traceId: string;
  parentSpanId: string;
  sampled: boolean | undefined;
  baggage: string | undefined;
}

// Ids come from a pool of random bytes refilled every 170 requests: randomUUID twice was 6 µs.
const ID_POOL_BYTES = 4096;
const idPool = Buffer.alloc(ID_POOL_BYTES);
let idPoolOffset = ID_POOL_BYTES;

function toRandomHex(bytes: number): string {
  if (idPoolOffset + bytes > ID_POOL_BYTES) {
    randomFillSync(idPool);
    idPoolOffset = 0;
  }
  idPoolOffset += bytes;
  return idPool.toString('hex', idPoolOffset - bytes, idPoolOffset);
}

const SENTRY_TRACE = /^([0-9a-f]{32})-([0-9a-f]{16})(?:-([01]))?$/;

export const unsampledTraces = new AsyncLocalStorage<UnsampledTrace>();

export function parseInboundTrace(
  sentryTrace: string,
  baggage: string | undefined,
): InboundTrace | undefined {
  const match = SENTRY_TRACE.exec(sentryTrace);
  if (!match) return undefined;
  const sampled = match[3] === undefined ? undefined : match[3] === '1';
  return { traceId: match[1]!, parentSpanId: match[2]!, sampled, baggage };
}

export function createUnsampledTrace(inbound: InboundTrace | undefined, sampleRand: number): UnsampledTrace {
  return {
    traceId: inbound?.traceId ?? toRandomHex(16),
    spanId: toRandomHex(8),
    parentSpanId: inbound?.parentSpanId,
    sampleRand,
    inboundBaggage: inbound ? toSentryBaggage(inbound.baggage) : undefined,
    tags: {},
  };
}

/**
 * What `getTraceData` gives an unsampled request: `-0` flags, and the baggage of the inbound trace,
 * or for a new trace the client's own (`clientBaggage`, computed once) with this trace's id.
 */
export function toUnsampledTraceMeta(trace: UnsampledTrace, clientBaggage: string): Record<string, string> {
  const meta: Record<string, string> = {
    'sentry-trace': `${trace.traceId}-${trace.spanId}-0`,
    traceparent: `00-${trace.traceId}-${trace.spanId}-00`,
  };
  const baggage =
    trace.parentSpanId === undefined
      ? [clientBaggage, `sentry-trace_id=${trace.traceId}`].filter(Boolean).join(',')
      : trace.inboundBaggage;
  if (baggage) meta.baggage = baggage;
  return meta;
}

/** The `sentry-*` entries of a baggage header (third-party entries are not ours to pass on). */
export function toSentryBaggage(baggage: string | undefined): string | undefined {
  const entries = (baggage ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.startsWith('sentry-'));
  return entries.length > 0 ? entries.join(',') : undefined;
}
