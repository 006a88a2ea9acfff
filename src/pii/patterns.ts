// The detection table: one entry per kind, in priority order (an earlier entry wins when two
// matches overlap), each with a cheap hint that lets most strings skip the regex entirely.
//
// Backtracking discipline, so that a 1 MB adversarial string stays linear:
// - every repeat is bounded, or sits right after a literal anchor (`eyJ`, `-----BEGIN`, `bearer`)
//   behind a lookbehind, so each run of characters is scanned by a constant number of attempts;
// - repeated groups always end on a character their body cannot contain (a separator, `:`),
//   so there is exactly one way to split the input between iterations.

import { isIbanValid, isSsnValid } from './checksums.js';
import {
  isBearerToken,
  isCardNumber,
  isPhoneNumber,
  isRandomToken,
  isReportableIpv4,
  isReportableIpv6,
} from './shapes.js';
import type { PiiKind } from './types.js';

export interface PiiPattern {
  readonly kind: PiiKind;
  /** Necessary condition, much cheaper than `regex`; false means the regex cannot match. */
  readonly hint: (text: string) => boolean;
  /** Global regex; it needs the `d` flag when `secretGroup` is set. */
  readonly regex: RegExp;
  /** Capture group holding the part to filter, when the match also covers context to keep. */
  readonly secretGroup?: number;
  /** Runs on the part to filter; false drops the match. */
  readonly validate?: (secret: string) => boolean;
}

const has =
  (needle: string) =>
  (text: string): boolean =>
    text.includes(needle);
const test =
  (hint: RegExp) =>
  (text: string): boolean =>
    hint.test(text);

const OCTET = String.raw`(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)`;
const IPV4 = String.raw`${OCTET}(?:\.${OCTET}){3}`;
const PEM_LABEL = String.raw`(?:[A-Z0-9]{2,10} )?PRIVATE KEY(?: BLOCK)?-----`;

const PHONE = [
  String.raw`\+\d{7,14}`,
  String.raw`\+\d{1,3}(?:[ .-]?\(0\))?(?:[ .-]?\(\d{1,4}\))?[ .-]?\d{1,5}(?:[ .-]\d{1,5}){0,6}`,
  String.raw`\(\d{2,5}\)[ .-]?\d{2,5}(?:[ .-]\d{2,5}){1,3}`,
  // National layouts must use one separator throughout, so "2026-11-29 12" is not a number.
  String.raw`\d{2,4}([ .-])\d{2,4}(?:\1\d{2,4}){1,4}`,
].join('|');

const CARD = [
  String.raw`\d{13,19}`,
  String.raw`\d{4}([ -])\d{4}\1\d{4}\1\d{1,4}(?:\1\d{3})?`,
  String.raw`\d{4}([ -])\d{6}\2\d{4,5}`,
].join('|');

export const PII_PATTERNS: readonly PiiPattern[] = [
  {
    kind: 'private_key',
    hint: has('PRIVATE KEY-----'),
    // Without a footer (a truncated log line) the rest of the string up to the next `-----` goes.
    regex: new RegExp(
      String.raw`-----BEGIN ${PEM_LABEL}[^-]*(?:-(?!----)[^-]*)*(?:-----END ${PEM_LABEL})?`,
      'g',
    ),
  },
  {
    kind: 'url_credentials',
    hint: (text) => text.includes('://') && text.includes('@'),
    regex:
      /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,30}:\/\/([^\s:/?#@"'<>`]{0,128}:[^\s/?#"'<>`]{1,256})(?=@)/dg,
    secretGroup: 1,
  },
  {
    kind: 'bearer',
    hint: test(/bearer/i),
    regex: /\bbearer\s{1,16}([A-Za-z0-9._~+/-]+=*)/dgi,
    secretGroup: 1,
    validate: isBearerToken,
  },
  {
    kind: 'jwt',
    hint: has('eyJ'),
    regex: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g,
  },
  {
    kind: 'aws_secret',
    hint: test(/aws.?secret/i),
    regex:
      /aws[_-]?secret[_-]?(?:access[_-]?)?key["']?\s{0,8}[:=]\s{0,8}["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/dgi,
    secretGroup: 1,
  },
  {
    kind: 'aws_key',
    hint: test(/AKIA|ASIA/),
    regex: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g,
  },
  {
    kind: 'github_token',
    hint: test(/gh[pousr]_|github_pat_/),
    regex:
      /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,244})(?![A-Za-z0-9_])/g,
  },
  {
    kind: 'slack_token',
    hint: test(/xox[abeprs]-|xapp-/),
    regex: /(?<![A-Za-z0-9])(?:xox[abeprs]|xapp)-[A-Za-z0-9-]{10,250}/g,
    validate: isRandomToken,
  },
  {
    kind: 'stripe_key',
    hint: test(/[spr]k_(?:live|test)_|whsec_/),
    regex: /(?<![A-Za-z0-9_])(?:[spr]k_(?:live|test)|whsec)_[A-Za-z0-9]{10,247}/g,
  },
  {
    kind: 'openai_key',
    hint: has('sk-'),
    // Also catches other `sk-` provider keys (e.g. Anthropic's `sk-ant-`), labelled openai_key.
    regex: /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,250}/g,
    validate: isRandomToken,
  },
  {
    kind: 'google_api_key',
    hint: has('AIza'),
    regex: /(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])/g,
  },
  {
    kind: 'iban',
    hint: test(/[A-Z]{2}\d\d/),
    regex: /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])/g,
    validate: isIbanValid,
  },
  {
    kind: 'card',
    hint: test(/\d{4}/),
    regex: new RegExp(String.raw`(?<![\w.+-])(?:${CARD})(?![\w-]|\.\d)`, 'g'),
    validate: isCardNumber,
  },
  {
    kind: 'ssn',
    hint: test(/\d{3}-\d\d-/),
    regex: /(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])/g,
    validate: isSsnValid,
  },
  {
    kind: 'email',
    hint: has('@'),
    // Not after `://`: a bare `user@` in a URL (DSN public key, git remote) is no email.
    regex:
      /(?<![A-Za-z0-9._%+-]|:\/\/)[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}(?![A-Za-z0-9-]|\.[A-Za-z0-9])/g,
  },
  {
    kind: 'ipv6',
    hint: test(/[0-9A-Fa-f]:[0-9A-Fa-f:]/),
    regex: new RegExp(
      String.raw`(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){1,7}(?:${IPV4}|[0-9A-Fa-f]{1,4}|:)(?![\w]|\.\d)`,
      'g',
    ),
    validate: isReportableIpv6,
  },
  {
    kind: 'ipv4',
    hint: test(/\d\.\d/),
    regex: new RegExp(String.raw`(?<![A-Za-z0-9.])${IPV4}(?![A-Za-z0-9]|\.\d)`, 'g'),
    validate: isReportableIpv4,
  },
  {
    kind: 'phone',
    hint: test(/\d/),
    regex: new RegExp(String.raw`(?<![\w.+/-]|\d[ .-])(?:${PHONE})(?![\w+]|[.:-]?\d)`, 'g'),
    validate: isPhoneNumber,
  },
];
