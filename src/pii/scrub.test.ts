import { describe, it, expect } from 'vitest';
import { scrubString } from './scrub.js';
import type { PiiCounts } from './types.js';

describe('scrubString', () => {
  it('replaces each match with a label naming its kind', () => {
    expect(scrubString('mail john@example.com or call +33 6 12 34 56 78')).toBe(
      'mail [Filtered:email] or call [Filtered:phone]',
    );
  });

  it('filters a Luhn-valid card number and leaves a Luhn-invalid one', () => {
    expect(scrubString('pay with 4111 1111 1111 1111')).toBe('pay with [Filtered:card]');
    expect(scrubString('pay with 4111 1111 1111 1112')).toBe('pay with 4111 1111 1111 1112');
  });

  it('filters IPs but keeps loopback addresses for debugging', () => {
    expect(scrubString('client 203.0.113.9 via 127.0.0.1')).toBe('client [Filtered:ipv4] via 127.0.0.1');
  });

  it('returns the very same string when nothing is found', () => {
    const text = 'GET /health 200 in 3 ms';
    expect(scrubString(text)).toBe(text);
  });

  it('returns short strings untouched without looking further', () => {
    expect(scrubString('a@b.c')).toBe('a@b.c');
    expect(scrubString('')).toBe('');
  });

  it('increments counts per kind and leaves other kinds out', () => {
    const counts: PiiCounts = { email: 1 };
    scrubString('a@example.com, b@example.com, 192.168.1.1', counts);
    expect(counts).toEqual({ email: 3, ipv4: 1 });
  });

  it('does not touch counts when nothing is found', () => {
    const counts: PiiCounts = {};
    scrubString('nothing personal here, just 42 apples', counts);
    expect(counts).toEqual({});
  });

  it('is idempotent: scrubbing a scrubbed string changes nothing', () => {
    const once = scrubString(
      'Bearer abc123def456ghi https://u:p4ss@example.com/x ssn 123-45-6789 to x@example.com',
    );
    expect(once).toBe(
      'Bearer [Filtered:bearer] https://[Filtered:url_credentials]@example.com/x ssn [Filtered:ssn] to [Filtered:email]',
    );
    expect(scrubString(once)).toBe(once);
  });

  it('returns a non-string argument unchanged instead of throwing', () => {
    expect(scrubString(undefined as unknown as string)).toBeUndefined();
    expect(scrubString(42 as unknown as string)).toBe(42);
  });
});
