// Everything that leaves for Sentry passes through here: events, transactions, spans, breadcrumbs.
// Personal data and secrets are replaced by the pii scrubber; detections become a breadcrumb with
// kinds and counts, never values.
import { scrubValue, type PiiCounts } from '../pii/index.js';

type Json = Record<string, unknown>;

/** Scrubs an event or transaction in place of the original; never throws (a dropped event is better than a leak). */
export function scrubEnvelopeItem<T extends object>(item: T): T | null {
  try {
    const counts: PiiCounts = {};
    const scrubbed = scrubValue(item, { counts });
    if (Object.keys(counts).length > 0) addDetectionBreadcrumb(scrubbed as Json, counts);
    return scrubbed;
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

export function scrubSpan<T extends object>(span: T): T {
  try {
    return scrubValue(span);
  } catch {
    return span;
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
