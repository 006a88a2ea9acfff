// Shared vocabulary of the PII scrubber: the kinds it knows and the shapes it reports.
// Matches carry offsets only, never the matched value, so they are safe to log or count.

export const PII_KINDS = [
  'email',
  'phone',
  'card',
  'iban',
  'ssn',
  'ipv4',
  'ipv6',
  'aws_key',
  'aws_secret',
  'github_token',
  'slack_token',
  'openai_key',
  'stripe_key',
  'google_api_key',
  'jwt',
  'bearer',
  'private_key',
  'url_credentials',
] as const;

export type PiiKind = (typeof PII_KINDS)[number];

/** A detected span: `text.slice(start, end)` is the part that gets filtered. */
export interface PiiMatch {
  readonly kind: PiiKind;
  readonly start: number;
  readonly end: number;
}

/** Occurrences per kind; a plain record so it can go straight into a breadcrumb's `data`. */
export type PiiCounts = Partial<Record<PiiKind, number>>;
