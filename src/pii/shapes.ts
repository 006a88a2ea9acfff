// Post-match checks: rules that would make the regexes unreadable or prone to backtracking
// (digit counts, IPv6 grouping, "looks random") are applied here, on the matched text only.

import { isLuhnValid } from './checksums.js';

const NANP = /^[2-9]\d{2}([ .-])\d{3}\1\d{4}$/;
const DOTTED_QUAD = /^\d+(?:\.\d+){3}$/;
const FOUR_DIGIT_GROUP = /(?<!\d)\d{4}(?!\d)/g;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;
const DIGIT = /\d/;
const LETTER = /[A-Za-z]/;

export function countDigits(text: string): number {
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) digits++;
  }
  return digits;
}

/**
 * International (leading `+`): 9–15 digits, E.164's ceiling. National: 10–15 digits and a shape
 * that only phone numbers have: a trunk `0` (`06 12 34 56 78`, `020 7946 0958`), an area code in
 * parentheses, or the North American 3-3-4 layout. Lists such as `10 20 30 40 50` stay untouched.
 */
export function isPhoneNumber(candidate: string): boolean {
  const digits = countDigits(candidate);
  if (candidate.startsWith('+')) return digits >= 9 && digits <= 15;
  if (digits < 10 || digits > 15) return false;
  // Four dotted numbers are IPs or versions, never a national phone layout worth the risk.
  if (DOTTED_QUAD.test(candidate)) return false;
  // Three or more 4-digit groups is how cards and IBANs are written, not national phone numbers.
  if ((candidate.match(FOUR_DIGIT_GROUP) ?? []).length >= 3) return false;
  return candidate.startsWith('0') || candidate.startsWith('(') || NANP.test(candidate);
}

/** 13–19 digits, a leading digit used by real card networks (2–6), and a valid Luhn check digit. */
export function isCardNumber(candidate: string): boolean {
  const digits = candidate.replace(/[ -]/g, '');
  if (digits.length < 13 || digits.length > 19) return false;
  // Requiring an issuer digit keeps epoch-millisecond timestamps (17…) and snowflake ids out.
  const first = digits.charCodeAt(0) - 48;
  return first >= 2 && first <= 6 && isLuhnValid(digits);
}

function isIpv4Octets(text: string): boolean {
  const octets = text.split('.');
  return octets.length === 4 && octets.every((octet) => octet.length > 0 && Number(octet) <= 255);
}

/** Loopback (127/8) and the unspecified 0.0.0.0 say nothing about a person and help debugging. */
export function isReportableIpv4(candidate: string): boolean {
  return isIpv4Octets(candidate) && !candidate.startsWith('127.') && candidate !== '0.0.0.0';
}

/**
 * A syntactically valid IPv6 address with at least three non-empty groups and one digit.
 * The floor rejects `::1`, `::`, `fe80::1`-style stubs and code such as `a::b`; times like
 * `12:30:45` and MAC addresses fail because, without `::`, exactly eight groups are required.
 */
export function isReportableIpv6(candidate: string): boolean {
  let text = candidate;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    // An embedded IPv4 tail (`::ffff:10.0.0.1`) stands for two groups.
    if (!isIpv4Octets(tail)) return false;
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  if (!groups.every((group) => HEX_GROUP.test(group))) return false;
  const complete = halves.length === 1 ? groups.length === 8 : groups.length <= 7;
  return complete && groups.length >= 3 && DIGIT.test(candidate);
}

/** Random-looking enough to be a credential: mixes digits and letters. */
export function isRandomToken(token: string): boolean {
  return DIGIT.test(token) && LETTER.test(token);
}

/**
 * What follows `Bearer` in prose is often a plain word ("the Bearer scheme"); real tokens are
 * long and contain a digit, or are long mixed-case strings.
 */
export function isBearerToken(token: string): boolean {
  if (token.length < 8) return false;
  if (DIGIT.test(token)) return true;
  return token.length >= 16 && /[a-z]/.test(token) && /[A-Z]/.test(token);
}
