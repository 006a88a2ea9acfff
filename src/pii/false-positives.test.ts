import { describe, it, expect } from 'vitest';
import { detectPii } from './detect.js';
import { scrubString } from './scrub.js';

describe('detectPii leaves non-personal data alone', () => {
  it.each([
    ['an ISO date', 'released on 2026-11-29'],
    ['a European date', 'released on 29/11/2026 and 29.11.2026'],
    ['an ISO timestamp', '2026-11-29T12:30:45.123Z'],
    ['a date and time', '2026-11-29 12:30:45'],
    ['a version number', '@modelcontextprotocol/sdk@1.32.2'],
    ['a semver with pre-release and build', 'v2.0.0-rc.1+build.5'],
    ['a Windows build number', 'OS 10.0.19045.2965'],
    ['durations', 'took 123 ms, then 1500ms, then 2.5 s'],
    ['port numbers', 'listening on localhost:8080 and http://localhost:3000/mcp'],
    ['a UUID', 'request 123e4567-e89b-12d3-a456-426614174000'],
    ['an all-digit UUID-like id', 'id 12345678-1234-1234-1234-123456789012'],
    ['plain integers', 'rows 1234567 of 12345678901'],
    ['an epoch-millisecond timestamp', 'at 1732873845123'],
    ['a list of numbers', 'sizes 10 20 30 40 50 and 100 200 300'],
    ['a SHA-256 digest', 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['loopback and unspecified addresses', 'bind 127.0.0.1, 0.0.0.0 and ::1 (also http://127.0.0.1:9000)'],
    ['a wall-clock time', 'at 12:30:45.250'],
    ['a MAC address', 'nic 00:1A:2B:3C:4D:5E'],
    ['C++ and Rust paths', 'std::vector<int> a::b Foo::Bar::baz()'],
    ['ordinary prose', 'The quick brown fox jumps over the lazy dog; nothing to see here.'],
    ['a code snippet', 'const x = arr[0] - 1; if (a_b > 2) return foo_bar(x, y);'],
    ['a Luhn-invalid card number', 'card 4111 1111 1111 1112'],
    ['an IBAN with a wrong check digit', 'iban GB82 WEST 1234 5698 7654 33 and DE89 3704 0044 0532 0130 01'],
    ['an SSN in the never-issued area 000', 'ssn 000-12-3456'],
    ['SSNs in other invalid ranges', '666-12-3456 912-34-5678 123-00-4567 123-45-0000'],
    ['Bearer as a word in prose', 'The Bearer scheme is defined in RFC 6750'],
    ['an sk- package name without digits', 'pip install sk-learn-plugin-for-everything'],
    ['the public key of a Sentry DSN', 'https://abc123def@o123.ingest.sentry.io/456'],
    ['a URL with a port and no credentials', 'https://example.com:8443/a@b'],
  ])('finds nothing in %s', (_label, text) => {
    expect(detectPii(text)).toEqual([]);
    expect(scrubString(text)).toBe(text);
  });
});
