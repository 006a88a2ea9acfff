import { describe, it, expect } from 'vitest';
import { detectPii } from './detect.js';
import { scrubString } from './scrub.js';
import type { PiiKind } from './types.js';

function describeMatches(text: string): Array<[PiiKind, string]> {
  return detectPii(text).map(({ kind, start, end }) => [kind, text.slice(start, end)]);
}

// Assembled at runtime so no literal here looks like a live secret to push-protection scanners.
const FAKE = {
  githubClassic: 'ghp_' + 'A1b2C3d4E5'.repeat(3) + 'f6G7h8',
  githubOauth: 'gho_' + 'Z9y8X7w6V5'.repeat(3) + 'u4T3s2',
  githubFineGrained: 'github_pat_' + '11ABCDEFG0' + 'abcdefghijkl' + '_' + 'Q1w2E3r4T5'.repeat(6),
  slackBot: 'xoxb-' + '123456789012-1234567890123-' + 'AbCdEfGhIjKlMnOpQrStUvWx',
  slackApp: 'xapp-' + '1-A0123456789-1234567890123-' + 'abcdef0123456789abcdef',
  openaiLegacy: 'sk-' + 'abcDEF123456'.repeat(4),
  openaiProject: 'sk-proj-' + 'Ab1_Cd2-Ef3G'.repeat(12),
  stripeSecret: 'sk_' + 'live_' + '4eC39HqLyjWDarjtT1zdp7dc',
  stripeRestricted: 'rk_' + 'test_' + '51H8xYzAbCdEfGh0123456789',
  googleApiKey: 'AIza' + 'Sy' + 'aB3-'.repeat(8) + 'x',
  awsKeyId: 'AKIA' + 'IOSFODNN7EXAMPLE',
  awsSessionKeyId: 'ASIA' + 'Y34FZKBOKMUTVV7A',
  awsSecret: 'wJalrXUtnFEMI/K7MDENG/' + 'bPxRfiCYEXAMPLEKEY',
  jwt:
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.' +
    'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.' +
    'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  unsignedJwt: 'eyJhbGciOiJub25lIn0.' + 'eyJzdWIiOiJhbGljZSJ9.',
  rsaKey: [
    '-----BEGIN RSA PRIVATE KEY-----',
    'MIIEpAIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB',
    'aFDrBz9vFqU4yUkNp1A8uQ4bG+0l5Wq3Z1Jt9A==',
    '-----END RSA PRIVATE KEY-----',
  ].join('\n'),
  openSshKey: [
    '-----BEGIN OPENSSH PRIVATE KEY-----',
    'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
    '-----END OPENSSH PRIVATE KEY-----',
  ].join('\n'),
};

describe('detectPii on secrets', () => {
  it.each([
    ['aws_key', FAKE.awsKeyId],
    ['aws_key', FAKE.awsSessionKeyId],
    ['github_token', FAKE.githubClassic],
    ['github_token', FAKE.githubOauth],
    ['github_token', FAKE.githubFineGrained],
    ['slack_token', FAKE.slackBot],
    ['slack_token', FAKE.slackApp],
    ['openai_key', FAKE.openaiLegacy],
    ['openai_key', FAKE.openaiProject],
    ['stripe_key', FAKE.stripeSecret],
    ['stripe_key', FAKE.stripeRestricted],
    ['google_api_key', FAKE.googleApiKey],
    ['jwt', FAKE.jwt],
    ['jwt', FAKE.unsignedJwt],
    ['private_key', FAKE.rsaKey],
    ['private_key', FAKE.openSshKey],
  ] as const)('finds a %s embedded in a log line', (kind, secret) => {
    expect(describeMatches(`config loaded, value=${secret}; next step`)).toEqual([[kind, secret]]);
  });

  it('finds an AWS secret access key only after its variable name', () => {
    expect(describeMatches(`AWS_SECRET_ACCESS_KEY=${FAKE.awsSecret}`)).toEqual([
      ['aws_secret', FAKE.awsSecret],
    ]);
    expect(describeMatches(`{"aws_secret_access_key": "${FAKE.awsSecret}"}`)).toEqual([
      ['aws_secret', FAKE.awsSecret],
    ]);
    expect(describeMatches(`checksum ${FAKE.awsSecret}`)).toEqual([]);
  });

  it('reports only the token of a bearer credential, case-insensitively', () => {
    const token = 'mF_9.B5f-4.1JqM';
    expect(describeMatches(`Authorization: Bearer ${token}`)).toEqual([['bearer', token]]);
    expect(describeMatches(`authorization: bearer ${token}`)).toEqual([['bearer', token]]);
  });

  it('reports only the user:password part of URL credentials', () => {
    expect(describeMatches('https://alice:hunter2@example.com/path')).toEqual([
      ['url_credentials', 'alice:hunter2'],
    ]);
    expect(describeMatches('connecting to postgres://app:s3cr3t@db.internal:5432/main')).toEqual([
      ['url_credentials', 'app:s3cr3t'],
    ]);
    expect(describeMatches('redis://:p4ssw0rd@cache:6379')).toEqual([['url_credentials', ':p4ssw0rd']]);
  });

  it('covers a whole PEM block, including one escaped inside JSON', () => {
    const escaped = JSON.stringify({ key: FAKE.rsaKey });
    const [match] = detectPii(escaped);
    expect(match?.kind).toBe('private_key');
    expect(escaped.slice(match?.start, match?.end)).toContain('MIIEpAIBAAKCAQEA');
    expect(escaped.slice(match?.start, match?.end)).toContain('END RSA PRIVATE KEY-----');
  });

  it('filters from a PEM header to the end when the footer was truncated away', () => {
    const truncated = FAKE.rsaKey.slice(0, 100);
    expect(scrubString(`key: ${truncated}`)).toBe('key: [Filtered:private_key]');
  });
});

describe('scrubString on secrets', () => {
  it('keeps the word Bearer and filters the token', () => {
    expect(scrubString(`Authorization: Bearer ${FAKE.jwt}`)).toBe('Authorization: Bearer [Filtered:bearer]');
  });

  it('keeps scheme and host around filtered URL credentials', () => {
    expect(scrubString('git clone https://bob:ghs_pass@github.com/org/repo')).toBe(
      'git clone https://[Filtered:url_credentials]@github.com/org/repo',
    );
  });

  it('replaces a whole multi-line private key with one label', () => {
    expect(scrubString(`before\n${FAKE.openSshKey}\nafter`)).toBe('before\n[Filtered:private_key]\nafter');
  });

  it('filters several different secrets in one string', () => {
    const text = `aws=${FAKE.awsKeyId} gh=${FAKE.githubClassic} stripe=${FAKE.stripeSecret}`;
    expect(scrubString(text)).toBe(
      'aws=[Filtered:aws_key] gh=[Filtered:github_token] stripe=[Filtered:stripe_key]',
    );
  });
});
