import { describe, it, expect } from 'vitest';
import { CIRCULAR, TRUNCATED, UNREADABLE, createScrubMemo, scrubValue } from './scrub-value.js';
import type { PiiCounts } from './types.js';

describe('scrubValue', () => {
  it('scrubs strings at every level of nested objects and arrays', () => {
    const event = {
      message: 'login by jane@example.com',
      tags: ['ip 10.1.2.3', 'ok'],
      user: { profile: { phones: ['+1-202-555-0143'] } },
    };
    expect(scrubValue(event)).toEqual({
      message: 'login by [Filtered:email]',
      tags: ['ip [Filtered:ipv4]', 'ok'],
      user: { profile: { phones: ['[Filtered:phone]'] } },
    });
  });

  it('leaves numbers, booleans, null and undefined alone', () => {
    const data = { n: 4111111111111111, ok: true, none: null, missing: undefined, big: 10n };
    expect(scrubValue(data)).toEqual(data);
  });

  it('returns new containers and never mutates the input', () => {
    const input = { nested: { email: 'x@example.com' }, list: ['y@example.com'] };
    const snapshot = structuredClone(input);
    const output = scrubValue(input);
    expect(input).toEqual(snapshot);
    expect(output).not.toBe(input);
    expect(output.nested).not.toBe(input.nested);
    expect(output.list).not.toBe(input.list);
  });

  it('filters values of sensitive keys whatever their type or case', () => {
    const headers = {
      Authorization: 'Basic dXNlcjpwYXNz',
      'Set-Cookie': ['sid=abc'],
      'X-API-Key': 12345,
      password: { nested: 'value' },
      client_secret: 'plain',
      refreshToken: 'r',
      accept: 'application/json',
    };
    expect(scrubValue(headers)).toEqual({
      Authorization: '[Filtered]',
      'Set-Cookie': '[Filtered]',
      'X-API-Key': '[Filtered]',
      password: '[Filtered]',
      client_secret: '[Filtered]',
      refreshToken: '[Filtered]',
      accept: 'application/json',
    });
  });

  it('keeps token counts, OAuth endpoints, DSNs and null secrets readable', () => {
    const data = {
      max_tokens: 1024,
      token_count: 17,
      authorization_endpoint: 'https://auth.example.com/authorize',
      dsn: 'https://abc123@o1.ingest.sentry.io/2',
      password: null,
    };
    expect(scrubValue(data)).toEqual(data);
  });

  it('filters extra sensitive keys given by the caller', () => {
    const options = { sensitiveKeys: ['X-Tenant-Pin'] };
    expect(scrubValue({ x_tenant_pin: '0042', tenant: 'acme' }, options)).toEqual({
      x_tenant_pin: '[Filtered]',
      tenant: 'acme',
    });
  });

  it('replaces a cycle with [Circular] and keeps shared references shared', () => {
    const shared = { email: 'a@example.com' };
    const root: Record<string, unknown> = { left: shared, right: shared };
    root.self = root;
    const output = scrubValue(root);
    expect(output.self).toBe(CIRCULAR);
    expect(output.left).toEqual({ email: '[Filtered:email]' });
    expect(output.right).toBe(output.left);
  });

  it('truncates containers nested deeper than maxDepth but still scrubs shallow strings', () => {
    const deep = { a: { b: { c: { d: 'x@example.com' } } }, top: 'y@example.com' };
    expect(scrubValue(deep, { maxDepth: 2 })).toEqual({
      a: { b: { c: TRUNCATED } },
      top: '[Filtered:email]',
    });
  });

  it('walks a shared object again when it reappears above the depth limit', () => {
    const shared = { email: 'a@example.com' };
    const output = scrubValue({ deep: { deeper: shared }, shallow: shared }, { maxDepth: 1 });
    expect(output).toEqual({ deep: { deeper: TRUNCATED }, shallow: { email: '[Filtered:email]' } });
  });

  it('truncates at depth 12 by default', () => {
    let nested: unknown = 'leaf';
    for (let i = 0; i < 20; i++) nested = { child: nested };
    let output = scrubValue(nested) as { child: unknown };
    for (let depth = 0; depth < 12; depth++) output = output.child as { child: unknown };
    expect(output.child).toBe(TRUNCATED);
  });

  it('counts each kind found across the whole value', () => {
    const counts: PiiCounts = {};
    scrubValue({ a: 'a@example.com', b: ['b@example.com', '8.8.8.8'], password: 'hidden' }, { counts });
    expect(counts).toEqual({ email: 2, ipv4: 1 });
  });

  it('keeps an Error an Error while scrubbing its message and stack', () => {
    const error = new TypeError('cannot reach bob@example.com');
    const output = scrubValue({ error }).error;
    expect(output).toBeInstanceOf(TypeError);
    expect(output.message).toBe('cannot reach [Filtered:email]');
    expect(output.stack).toContain('[Filtered:email]');
    expect(error.message).toBe('cannot reach bob@example.com');
  });

  it('returns a Date as it is and keeps a __proto__ key as plain data', () => {
    const when = new Date(0);
    const parsed = JSON.parse('{"__proto__": {"polluted": "c@example.com"}, "when": 1}') as object;
    const output = scrubValue({ when, parsed });
    expect(output.when).toBe(when);
    expect(Object.getPrototypeOf(output.parsed)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(output.parsed, '__proto__')?.value).toEqual({
      polluted: '[Filtered:email]',
    });
  });

  it('turns throwing getters into [Unreadable] instead of throwing', () => {
    const hostile = {
      get boom(): string {
        throw new Error('nope');
      },
      fine: 'ok',
    };
    expect(scrubValue(hostile)).toEqual({ boom: UNREADABLE, fine: 'ok' });
  });

  it('scrubs a bare string or passes a bare number through', () => {
    expect(scrubValue('call 202-555-0143')).toBe('call [Filtered:phone]');
    expect(scrubValue(7)).toBe(7);
  });

  it('gives the same result with a memo, and keeps the memo bounded', () => {
    const memo = createScrubMemo(3);
    const value = {
      a: 'mail jane@example.com',
      password: 'hunter2',
      b: ['sk_live_51HxyzABCDEFGHIJKLMNOPQRST', 'ok'],
      c: 'one more',
      d: 'and another',
    };
    const plain = scrubValue(value);
    expect(scrubValue(value, { memo })).toEqual(plain);
    expect(scrubValue(value, { memo })).toEqual(plain);
    expect(memo.strings.size).toBeLessThanOrEqual(3);
    expect(memo.keys.size).toBeLessThanOrEqual(3);
  });

  it('does not use the memo while counting detections', () => {
    const memo = createScrubMemo();
    const counts: PiiCounts = {};
    scrubValue({ a: 'jane@example.com' }, { memo, counts });
    scrubValue({ a: 'jane@example.com' }, { memo, counts });
    expect(counts.email).toBe(2);
    expect(memo.strings.size).toBe(0);
  });
});
