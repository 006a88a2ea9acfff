import { describe, it, expect } from 'vitest';
import { scrubValue } from './scrub-value.js';

// Not a benchmark: a guard against regexes that backtrack catastrophically. A linear scan of
// 1 MB takes a few tens of milliseconds; a quadratic one takes minutes.
const ONE_MB = 1024 * 1024;
const LIMIT_MS = 2000;

function repeatTo(unit: string, length: number): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

function timeScrub(text: string): { ms: number; output: string } {
  const started = performance.now();
  const output = scrubValue(text);
  return { ms: performance.now() - started, output };
}

describe('scrubValue on 1 MB strings', () => {
  it('scrubs a realistic 1 MB log with PII in well under two seconds', () => {
    const line =
      '2026-11-29T12:30:45.123Z INFO tool_call id=123e4567-e89b-12d3-a456-426614174000 took 123 ms ' +
      'user=jane.doe@example.com ip=203.0.113.9 v1.32.2 phone +33 6 12 34 56 78\n';
    const { ms, output } = timeScrub(repeatTo(line, ONE_MB));
    expect(output).toContain('user=[Filtered:email] ip=[Filtered:ipv4]');
    expect(output).not.toContain('jane.doe@example.com');
    expect(ms).toBeLessThan(LIMIT_MS);
  });

  it.each([
    ['one long word', 'a'],
    ['one long digit run', '7'],
    ['spaced digits', '1 '],
    ['dashed digits', '12-'],
    ['an almost-email', 'a.b-c_d%e+'],
    ['repeated at signs', 'a@b.'],
    ['repeated JWT headers', 'eyJhbGci.'],
    ['repeated PEM headers', '-----BEGIN RSA PRIVATE KEY-----'],
    ['hex and colons', 'fe80:'],
    ['dotted numbers', '1.2.'],
    ['scheme separators', 'ab://u:'],
    ['bearer words', 'Bearer '],
    ['uppercase alphanumerics', 'GB82WEST'],
  ])('stays linear on an adversarial 1 MB string of %s', (_label, unit) => {
    const { ms } = timeScrub(repeatTo(unit, ONE_MB));
    expect(ms).toBeLessThan(LIMIT_MS);
  });
});
