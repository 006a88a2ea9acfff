// The gateway over Streamable HTTP: several concurrent sessions, bearer token, DNS-rebinding checks,
// and a client that disconnects mid-call without harming the others.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fixtureServer,
  startHttpGatewayProcess,
  textOf,
  waitFor,
  type HttpGatewayProcess,
} from '../helpers/gateway.js';

const TOKEN = 'test-token-123';
const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});

/** A raw POST to the MCP endpoint, as a client that is not the SDK would send it. */
function postMcp(url: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body,
  });
}

describe('Streamable HTTP mode', () => {
  let gateway: HttpGatewayProcess;
  beforeAll(async () => {
    gateway = await startHttpGatewayProcess({ mcpServers: { fixture: fixtureServer() } }, ['--token', TOKEN]);
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  it('binds 127.0.0.1 by default', () => {
    expect(gateway.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  });

  it('serves several sessions at once', async () => {
    const [first, second] = await Promise.all([
      gateway.connect({ token: TOKEN }),
      gateway.connect({ token: TOKEN }),
    ]);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        (index % 2 ? first! : second!).callTool({ name: 'fixture__echo', arguments: { text: `n${index}` } }),
      ),
    );
    expect(results.map(textOf)).toEqual(Array.from({ length: 10 }, (_, index) => `Echo: n${index}`));
  });

  it('answers a plain request as one JSON body, and one with a progress token as an SSE stream', async () => {
    const client = await gateway.connect({ token: TOKEN });
    const progress: number[] = [];
    const slow = await client.callTool(
      { name: 'fixture__slow', arguments: { ms: 40 } },
      {
        onprogress: (update) => progress.push(update.progress),
      },
    );
    expect(textOf(slow)).toBe('slept 40 ms');
    expect(progress).toEqual([1, 2, 3, 4]);

    const initialized = await postMcp(gateway.url, INITIALIZE, { authorization: `Bearer ${TOKEN}` });
    const sessionId = initialized.headers.get('mcp-session-id')!;
    await initialized.text();
    const headers = { authorization: `Bearer ${TOKEN}`, 'mcp-session-id': sessionId };
    const call = (id: number, meta?: Record<string, unknown>) =>
      postMcp(
        gateway.url,
        JSON.stringify({
          jsonrpc: '2.0',
          id,
          method: 'tools/call',
          params: { name: 'fixture__echo', arguments: { text: `n${id}` }, ...(meta ? { _meta: meta } : {}) },
        }),
        headers,
      );
    const plain = await call(2);
    expect(plain.headers.get('content-type')).toMatch(/^application\/json/);
    expect(plain.headers.get('mcp-session-id')).toBe(sessionId);
    expect(await plain.json()).toMatchObject({
      jsonrpc: '2.0',
      id: 2,
      result: { content: [{ text: 'Echo: n2' }] },
    });
    const streamed = await call(3, { progressToken: 'p3' });
    expect(streamed.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(await streamed.text()).toContain('Echo: n3');
    const malformed = await postMcp(
      gateway.url,
      JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'logging/setLevel', params: { level: 'loud' } }),
      headers,
    );
    expect(await malformed.json()).toMatchObject({ id: 4, error: { code: -32602 } });
  });

  it('refuses a request without the bearer token', async () => {
    const response = await postMcp(gateway.url, INITIALIZE);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /Authorization: Bearer/,
    );
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const url = new URL(gateway.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: {
            host: 'evil.example:80',
            authorization: `Bearer ${TOKEN}`,
            'content-type': 'application/json',
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(INITIALIZE);
    });
    expect(status).toBe(403);
  });

  it('refuses a foreign Origin', async () => {
    const response = await postMcp(gateway.url, INITIALIZE, {
      authorization: `Bearer ${TOKEN}`,
      origin: 'https://evil.example',
    });
    expect(response.status).toBe(403);
  });

  it('answers an unknown session id with 404 and a way forward', async () => {
    const response = await postMcp(
      gateway.url,
      JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
      {
        authorization: `Bearer ${TOKEN}`,
        'mcp-session-id': 'nope',
      },
    );
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /Initialize a new session/,
    );
  });

  it('keeps serving other clients when one disconnects mid-call, and cancels its call downstream', async () => {
    const observer = await gateway.connect({ token: TOKEN });
    const before = Number(textOf(await observer.callTool({ name: 'fixture__cancellations', arguments: {} })));
    const hangs = async () =>
      Number(textOf(await observer.callTool({ name: 'fixture__hangs_started', arguments: {} })));
    const hangsBefore = await hangs();
    const leaving = await gateway.connect({ token: TOKEN });
    const pending = leaving.callTool({ name: 'fixture__hang', arguments: {} }).catch(() => 'closed');
    // Leave once the call has reached the server, not after a guessed delay.
    await waitFor(async () => (await hangs()) > hangsBefore);
    await leaving.close();
    await pending;
    expect(textOf(await observer.callTool({ name: 'fixture__echo', arguments: { text: 'alive' } }))).toBe(
      'Echo: alive',
    );
    await waitFor(
      async () =>
        Number(textOf(await observer.callTool({ name: 'fixture__cancellations', arguments: {} }))) > before,
    );
  });
});
