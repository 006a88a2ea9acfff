// Everything that leaves for Sentry passes through here: error events, pml's transactions, breadcrumbs.
// Personal data and secrets are replaced by the pii scrubber; detections become a breadcrumb with
// kinds and counts, never values.
import { createScrubMemo, scrubValue, type PiiCounts, type ScrubValueOptions } from '../pii/index.js';

type Json = Record<string, unknown>;

// Written by the SDK about itself, never from request data: walking them was three quarters of the
// scrubbing cost per event. `sdkProcessingMetadata` is internal and never sent at all.
const SDK_OWNED_KEYS = new Set(['sdkProcessingMetadata', 'sdk', 'modules', 'debug_meta']);
const SDK_OWNED_CONTEXTS = new Set(['runtime', 'os', 'device', 'culture', 'cloud_resource', 'app']);
// Ids and timestamps the SDK generates (an inbound trace id is hex-validated before it is used):
// running the PII patterns over ~20 hex ids per transaction found nothing and cost ~15 µs.
const SDK_OWNED_SPAN_KEYS = new Set([
  'trace_id',
  'span_id',
  'parent_span_id',
  'start_timestamp',
  'timestamp',
  'event_id',
  'exclusive_time',
]);

/** Scrubs an error event into a copy; never throws (a dropped event is better than a leak). */
export function scrubEnvelopeItem<T extends object>(item: T): T | null {
  try {
    const counts: PiiCounts = {};
    const scrubbed: Json = {};
    for (const [key, value] of Object.entries(item)) {
      if (key === 'sdkProcessingMetadata' && isJson(value))
        scrubbed[key] = scrubSamplingContext(value, counts);
      else if (SDK_OWNED_KEYS.has(key) || SDK_OWNED_SPAN_KEYS.has(key)) scrubbed[key] = value;
      else if (key === 'contexts' && isJson(value)) scrubbed[key] = scrubContexts(value, counts);
      else scrubbed[key] = scrubValue(value, { counts });
    }
    if (Object.keys(counts).length > 0) addDetectionBreadcrumb(scrubbed, counts);
    return scrubbed as T;
  } catch {
    return null;
  }
}

function scrubContexts(contexts: Json, counts: PiiCounts): Json {
  const scrubbed: Json = {};
  for (const [name, context] of Object.entries(contexts)) {
    if (SDK_OWNED_CONTEXTS.has(name)) scrubbed[name] = context;
    else if (name === 'trace' && isJson(context)) scrubbed[name] = scrubSpanJson(context, { counts });
    else scrubbed[name] = scrubValue(context, { counts });
  }
  return scrubbed;
}

/** A span (or the trace context): its ids pass as they are, everything else is scrubbed. */
function scrubSpanJson(span: Json, options: ScrubValueOptions): Json {
  const ids: Json = {};
  const rest: Json = {};
  for (const [key, value] of Object.entries(span)) {
    if (SDK_OWNED_SPAN_KEYS.has(key) && (typeof value === 'string' || typeof value === 'number'))
      ids[key] = value;
    else rest[key] = value;
  }
  return { ...scrubValue(rest, options), ...ids };
}

/** Of the SDK's internal metadata only the sampling context leaves (as the envelope's `trace` header). */
function scrubSamplingContext(metadata: Json, counts: PiiCounts): Json {
  const context = metadata.dynamicSamplingContext;
  return isJson(context)
    ? { ...metadata, dynamicSamplingContext: scrubValue(context, { counts }) }
    : metadata;
}

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Names, attribute keys, tags and server ids repeat from one transaction to the next: remembering
// their scrubbed form took the scrubbing of a transaction from ~90 µs to a few.
const transactionMemo = createScrubMemo();

/**
 * Scrubs a transaction pml built (recorded-span.ts) into a copy: its ids and timestamps are pml's
 * own (an inbound trace id is hex-checked), every other value passes the scrubber. Never throws.
 */
export function scrubTransaction<T extends object>(transaction: T): T | null {
  try {
    const options = { memo: transactionMemo };
    const { contexts, spans, sdkProcessingMetadata, event_id, start_timestamp, timestamp, ...rest } =
      transaction as Json;
    const scrubbed: Json = { ...scrubValue(rest, options), event_id, start_timestamp, timestamp };
    if (isJson(contexts)) {
      const { trace, ...others } = contexts;
      scrubbed.contexts = {
        ...scrubValue(others, options),
        ...(isJson(trace) ? { trace: scrubSpanJson(trace, options) } : {}),
      };
    }
    if (Array.isArray(spans))
      scrubbed.spans = spans.map((span) => (isJson(span) ? scrubSpanJson(span, options) : span));
    if (isJson(sdkProcessingMetadata)) {
      const context = sdkProcessingMetadata.dynamicSamplingContext;
      scrubbed.sdkProcessingMetadata = {
        dynamicSamplingContext: isJson(context) ? scrubValue(context, options) : context,
      };
    }
    return scrubbed as T;
  } catch {
    return null;
  }
}

export function scrubBreadcrumb<T extends object>(breadcrumb: T): T | null {
  try {
    return scrubValue(breadcrumb);
  } catch {
    return null;
  }
}

function addDetectionBreadcrumb(event: Json, counts: PiiCounts): void {
  const breadcrumbs = Array.isArray(event.breadcrumbs) ? (event.breadcrumbs as Json[]) : undefined;
  if (!breadcrumbs) return;
  breadcrumbs.push({
    category: 'pii.detection',
    message: `scrubbed ${Object.values(counts).reduce((sum, count) => sum + (count ?? 0), 0)} values`,
    level: 'info',
    data: { ...counts },
    timestamp: Date.now() / 1000,
  });
}
