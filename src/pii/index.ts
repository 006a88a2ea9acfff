// Public door of the PII scrubber: pure functions that find and filter personal data and secrets
// in strings and JSON-like values, for use in telemetry hooks (no I/O, never throws).

export { PII_KINDS } from './types.js';
export type { PiiCounts, PiiKind, PiiMatch } from './types.js';
export { detectPii } from './detect.js';
export { FILTERED, scrubString } from './scrub.js';
export { CIRCULAR, TRUNCATED, UNREADABLE, createScrubMemo, scrubValue } from './scrub-value.js';
export type { ScrubMemo, ScrubValueOptions } from './scrub-value.js';
