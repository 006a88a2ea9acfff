// Proves the Sentry receiver against hand-built envelopes and against the real @sentry/node SDK in this
// process (static transactions, then streamed spans after a close and re-init).
import * as Sentry from '@sentry/node';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reserveDeadPort, startSentryReceiver, type SentryReceiver } from './sentry-receiver.js';

let receiver: SentryReceiver;
let endpoint: string;

beforeAll(async () => {
  receiver = await startSentryReceiver();
  const { port } = new URL(receiver.dsn);
  endpoint = `http://127.0.0.1:${port}/api/42/envelope/`;
});

afterAll(async () => {
  await Sentry.close(2000);
  await receiver.close();
});

const exceptionValues = (event: Record<string, unknown>): unknown[] =>
  ((event.exception as { values?: { value?: unknown }[] } | undefined)?.values ?? []).map((v) => v.value);

// These run before Sentry.init, so the SDK's fetch instrumentation plays no part in them.
describe('receiver with hand-built envelopes', () => {
  it('decompresses a gzip body and parses its items', async () => {
    receiver.clear();
    const envelope = [
      JSON.stringify({ event_id: 'abc' }),
      JSON.stringify({ type: 'event' }),
      JSON.stringify({ event_id: 'abc', message: 'zipped' }),
    ].join('\n');
    const res = await fetch(`${endpoint}?sentry_key=publickey`, {
      method: 'POST',
      headers: { 'content-encoding': 'gzip' },
      body: gzipSync(envelope),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{}');
    expect(receiver.envelopes).toHaveLength(1);
    expect(receiver.envelopes[0]?.header).toEqual({ event_id: 'abc' });
    expect(receiver.events()).toEqual([{ event_id: 'abc', message: 'zipped' }]);
    expect(receiver.rawText()).toContain('zipped');
  });

  it('honours `length` for payloads containing newlines, and reads the key from x-sentry-auth', async () => {
    receiver.clear();
    const attachment = 'line one\nline two\n{"not":"an item header"}';
    const body = [
      '{}',
      JSON.stringify({ type: 'attachment', length: Buffer.byteLength(attachment), filename: 'a.txt' }),
      attachment,
      JSON.stringify({ type: 'session' }),
      JSON.stringify({ sid: 's1', status: 'ok' }),
      '',
    ].join('\n');
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'x-sentry-auth': 'Sentry sentry_version=7, sentry_key=publickey, sentry_client=test/1.0' },
      body,
    });
    expect(res.status).toBe(200);
    const [att, session] = receiver.items();
    expect(receiver.items()).toHaveLength(2);
    expect(att).toMatchObject({ type: 'attachment', payload: attachment, raw: attachment });
    expect(att?.header.filename).toBe('a.txt');
    expect(session).toMatchObject({ type: 'session', payload: { sid: 's1', status: 'ok' } });
  });

  it('answers 429 with rate-limit headers, 500 on demand, and 401 without the key', async () => {
    receiver.clear();
    const post = (url: string): Promise<Response> => fetch(url, { method: 'POST', body: '{}\n' });
    receiver.setBehaviour('rateLimit429');
    const limited = await post(`${endpoint}?sentry_key=publickey`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(limited.headers.get('x-sentry-rate-limits')).toBe('60::organization');
    receiver.setBehaviour('error500');
    expect((await post(`${endpoint}?sentry_key=publickey`)).status).toBe(500);
    receiver.setBehaviour('ok');
    expect((await post(`${endpoint}?sentry_key=wrong`)).status).toBe(401);
    // Refused or not, the SDK did send them, so they count; only the keyed ones are parsed.
    expect(receiver.envelopes).toHaveLength(2);
  });

  it('records a delayed envelope before it answers', async () => {
    receiver.clear();
    receiver.setBehaviour({ delayMs: 300 });
    const started = Date.now();
    const pending = fetch(`${endpoint}?sentry_key=publickey`, { method: 'POST', body: '{"n":1}\n' });
    const header = await receiver.waitFor(() => receiver.envelopes[0]?.header);
    expect(header).toEqual({ n: 1 });
    expect((await pending).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    receiver.setBehaviour('ok');
  });

  it('waitFor times out with a summary of what arrived', async () => {
    receiver.clear();
    await expect(receiver.waitFor(() => false, 100)).rejects.toThrow(
      /condition not met within 100 ms\n0 envelope/,
    );
  });

  it('reserveDeadPort returns a port nothing listens on', async () => {
    const port = await reserveDeadPort();
    await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
  });
});

describe('receiver with the real @sentry/node SDK', () => {
  it("static lifecycle: an error event and a 'root' transaction with one child", async () => {
    receiver.clear();
    Sentry.init({ dsn: receiver.dsn, debug: false, tracesSampleRate: 1, traceLifecycle: 'static' });
    // Every span the SDK starts, ours or one for a request the receiver serves (which must not exist).
    const started: string[] = [];
    Sentry.getClient()?.on('spanStart', (span) => void started.push(Sentry.spanToJSON(span).name));
    Sentry.captureException(new Error('boom'));
    Sentry.startSpan({ name: 'root', op: 'test' }, () => Sentry.startSpan({ name: 'child' }, () => {}));
    expect(await Sentry.flush(5000)).toBe(true);

    const event = await receiver.waitFor(() =>
      receiver.events().find((e) => exceptionValues(e).includes('boom')),
    );
    expect(event.level).toBe('error');
    const tx = await receiver.waitFor(() => receiver.transactions().find((t) => t.transaction === 'root'));
    expect((tx.contexts as { trace?: { op?: string } }).trace?.op).toBe('test');
    expect(tx.spans).toHaveLength(1);
    expect(tx.spans).toMatchObject([{ description: 'child' }]);
    // The receiver's own requests must not come back as transactions (see UntracedRequest). A span
    // for one would have started when the receiver took the request, before it recorded 'root'.
    expect(started).toEqual(['root', 'child']);
    expect(await Sentry.flush(5000)).toBe(true);
    expect(receiver.transactions().map((t) => t.transaction)).toEqual(['root']);
    expect(receiver.spans()).toEqual([]);
    expect(receiver.envelopes[0]?.path).toMatch(/^\/api\/42\/envelope\/\?.*sentry_key=publickey/);
  });

  it('a body over 32 KiB arrives gzip-compressed and still parses', async () => {
    receiver.clear();
    Sentry.captureException(new Error('big'), { extra: { padding: 'x'.repeat(40_000) } });
    expect(await Sentry.flush(5000)).toBe(true);
    const event = await receiver.waitFor(() =>
      receiver.events().find((e) => exceptionValues(e).includes('big')),
    );
    expect((event.extra as { padding?: string }).padding).toHaveLength(40_000);
  });

  it('stream lifecycle (the default, after close and re-init): span items, no transactions', async () => {
    expect(await Sentry.close(2000)).toBe(true);
    receiver.clear();
    Sentry.init({ dsn: receiver.dsn, debug: false, tracesSampleRate: 1 });
    Sentry.captureException(new Error('boom'));
    Sentry.startSpan({ name: 'root', op: 'test' }, () => Sentry.startSpan({ name: 'child' }, () => {}));
    expect(await Sentry.flush(5000)).toBe(true);

    await receiver.waitFor(() => receiver.events().find((e) => exceptionValues(e).includes('boom')));
    const root = await receiver.waitFor(() => receiver.spans().find((s) => s.name === 'root'));
    const child = receiver.spans().find((s) => s.name === 'child');
    expect(root.is_segment).toBe(true);
    expect(child).toMatchObject({ is_segment: false, parent_span_id: root.span_id });
    expect(receiver.items('span')[0]?.header).toMatchObject({
      content_type: 'application/vnd.sentry.items.span.v2+json',
      item_count: 2,
    });
    expect(receiver.transactions()).toEqual([]);
  });
});
