import { describe, it, expect } from 'vitest';
import { detectPii } from './detect.js';
import type { PiiKind } from './types.js';

function describeMatches(text: string): Array<[PiiKind, string]> {
  return detectPii(text).map(({ kind, start, end }) => [kind, text.slice(start, end)]);
}

describe('detectPii on personal data', () => {
  it.each([
    ['email', 'john.doe@example.com'],
    ['email', 'first+tag@mail.example.co.uk'],
    ['phone', '+33 6 12 34 56 78'],
    ['phone', '+1-202-555-0143'],
    ['phone', '+1 (202) 555-0143'],
    ['phone', '+44 (0)20 7946 0958'],
    ['phone', '+12025550143'],
    ['phone', '(202) 555-0143'],
    ['phone', '202-555-0143'],
    ['phone', '06 12 34 56 78'],
    ['phone', '06.12.34.56.78'],
    ['phone', '020 7946 0958'],
    ['card', '4111 1111 1111 1111'],
    ['card', '4111-1111-1111-1111'],
    ['card', '5555555555554444'],
    ['card', '3782 822463 10005'],
    ['iban', 'FR76 3000 6000 0112 3456 7890 189'],
    ['iban', 'DE89 3704 0044 0532 0130 00'],
    ['iban', 'GB82 WEST 1234 5698 7654 32'],
    ['iban', 'NL91ABNA0417164300'],
    ['ssn', '123-45-6789'],
    ['ssn', '078-05-1120'],
    ['ipv4', '192.168.1.10'],
    ['ipv4', '8.8.4.4'],
    ['ipv4', '255.255.255.255'],
    ['ipv6', '2001:0db8:85a3:0000:0000:8a2e:0370:7334'],
    ['ipv6', '2001:db8::8a2e:370:7334'],
    ['ipv6', '2001:db8::1'],
    ['ipv6', '::ffff:192.0.2.128'],
  ] as const)('finds the %s %s inside a sentence', (kind, value) => {
    expect(describeMatches(`User said: ${value}, then left.`)).toEqual([[kind, value]]);
  });

  it('finds a card number followed by its expiry date', () => {
    expect(describeMatches('card 4111 1111 1111 1111 12/26')).toEqual([['card', '4111 1111 1111 1111']]);
  });

  it('finds an IP address followed by a port', () => {
    expect(describeMatches('peer 203.0.113.7:443 closed')).toEqual([['ipv4', '203.0.113.7']]);
    expect(describeMatches('peer [2001:db8::7]:443 closed')).toEqual([['ipv6', '2001:db8::7']]);
  });

  it('finds an IPv6 address followed by a colon in prose', () => {
    expect(describeMatches('connect 2001:db8::1: refused')).toEqual([['ipv6', '2001:db8::1']]);
  });

  it('finds an email inside a REST path', () => {
    expect(describeMatches('GET /api/users/jane@example.org/profile')).toEqual([
      ['email', 'jane@example.org'],
    ]);
  });

  it('returns offsets in order and never the matched value', () => {
    const matches = detectPii('a@example.com and 192.168.0.1');
    expect(matches).toEqual([
      { kind: 'email', start: 0, end: 13 },
      { kind: 'ipv4', start: 18, end: 29 },
    ]);
    expect(Object.keys(matches[0] ?? {}).sort()).toEqual(['end', 'kind', 'start']);
  });
});

describe('detectPii on overlapping matches', () => {
  it('reports a JWT behind Bearer once, as bearer', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlMTIz';
    expect(describeMatches(`Authorization: Bearer ${jwt}`)).toEqual([['bearer', jwt]]);
  });

  it('reports URL credentials rather than an email made of password and host', () => {
    expect(describeMatches('https://admin:pa55@example.com/')).toEqual([['url_credentials', 'admin:pa55']]);
  });

  it('does not count a card number as a phone number too', () => {
    expect(describeMatches('4111 1111 1111 1111')).toEqual([['card', '4111 1111 1111 1111']]);
  });

  it('reports a valid SSN as ssn only', () => {
    expect(describeMatches('ssn 123-45-6789')).toEqual([['ssn', '123-45-6789']]);
  });

  it('reports a dotted IPv4 as ipv4, not as a dotted phone number', () => {
    expect(describeMatches('from 192.168.100.200')).toEqual([['ipv4', '192.168.100.200']]);
  });

  it('lets a private key block swallow look-alikes inside it', () => {
    const block = [
      '-----BEGIN PRIVATE KEY-----',
      'AKIAIOSFODNN7EXAMPLE user@example.com 192.168.1.1',
      '-----END PRIVATE KEY-----',
    ].join('\n');
    expect(describeMatches(block)).toEqual([['private_key', block]]);
  });
});
