// The two bounds on 2025-11-25 HTTP sessions: a session with nothing open for
// gateway.http.sessionIdleMs ends by itself (as DELETE ends it), one with a call in flight or a
// listening stream does not; and past gateway.http.maxSessions an initialize is refused with an
// error that says what to do, while the live sessions keep working.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  fixtureServer,
  startHttpGatewayProcess,
  textOf,
  waitFor,
  type HttpGatewayProcess,
} from '../helpers/gateway.js';
import {
  createSdkSessions,
  deleteSession,
  openGetStream,
  openRawSession,
  postMcp,
  readSubscriptions,
  stopGateway,
  toolCall,
} from '../helpers/http-sessions.js';

const NOTE = 'fixture://note';
// Long enough that no test step between two requests of one session comes near it on a busy
// machine, short enough to wait for.
const SESSION_IDLE_MS = 1_000;
const listTools = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/list' });

describe('an idle 2025-11-25 HTTP session', () => {
  let gateway: HttpGatewayProcess;
  let observer: Client;
  beforeAll(async () => {
    gateway = await startHttpGatewayProcess({
      mcpServers: { fixture: fixtureServer() },
      gateway: { http: { sessionIdleMs: SESSION_IDLE_MS } },
    });
    // A 2026-07-28 client has no session: it watches the fixture without keeping anything alive.
    observer = new Client(
      { name: 'observer', version: '1.0.0' },
      { versionNegotiation: { mode: { pin: '2026-07-28' } }, capabilities: {} },
    );
    await observer.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
  });
  afterAll(async () => {
    await observer?.close();
    await stopGateway(gateway);
  });

  it('ends by itself and releases its subscription; one with a call in flight or a GET stream lives on', async () => {
    const hangsBefore = Number(
      textOf(await observer.callTool({ name: 'fixture__hangs_started', arguments: {} })),
    );
    const calling = await openRawSession(gateway.url);
    const hang = postMcp(gateway.url, toolCall(2, 'fixture__hang'), calling);
    await waitFor(
      async () =>
        Number(textOf(await observer.callTool({ name: 'fixture__hangs_started', arguments: {} }))) >
        hangsBefore,
    );
    const listening = await openRawSession(gateway.url);
    const stream = await openGetStream(gateway.url, listening);
    expect(stream.status).toBe(200);
    // Idle from its last request on, which comes after the other two sessions' last requests.
    const idle = await openRawSession(gateway.url);
    const subscribed = await postMcp(
      gateway.url,
      { jsonrpc: '2.0', id: 2, method: 'resources/subscribe', params: { uri: NOTE } },
      idle,
    );
    expect(await subscribed.json()).toMatchObject({ id: 2, result: {} });
    expect((await readSubscriptions(observer)).subscribed).toContain(NOTE);

    // Watched through the observer: a request on the idle session would count as activity.
    await waitFor(async () => !(await readSubscriptions(observer)).subscribed.includes(NOTE));
    const late = await postMcp(gateway.url, listTools(3), idle);
    expect(late.status).toBe(404);
    expect(((await late.json()) as { error: { message: string } }).error.message).toMatch(
      /^Session not found/,
    );

    // Quiet for longer than the idle one, yet alive: each has an exchange open.
    for (const sessionId of [calling, listening]) {
      const alive = await postMcp(gateway.url, listTools(4), sessionId);
      expect(alive.status).toBe(200);
      expect(await alive.json()).toMatchObject({ id: 4, result: { tools: expect.any(Array) } });
    }
    expect((await deleteSession(gateway.url, calling)).status).toBe(200);
    expect((await hang).status).toBe(404);
    expect((await deleteSession(gateway.url, listening)).status).toBe(200);
    await stream.text();
  });
});

describe('gateway.http.maxSessions', () => {
  let gateway: HttpGatewayProcess;
  const sessions = createSdkSessions(() => gateway.url);
  beforeAll(async () => {
    gateway = await startHttpGatewayProcess({
      mcpServers: { fixture: fixtureServer() },
      gateway: { http: { maxSessions: 2 } },
    });
  });
  afterEach(() => sessions.closeAll());
  afterAll(() => stopGateway(gateway));

  it('refuses an initialize past the limit with what to do, and takes one again after a DELETE', async () => {
    const first = await sessions.connect();
    const second = await sessions.connect();

    const refused = await postMcp(gateway.url, {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    });
    expect(refused.status).toBe(503);
    const { error } = (await refused.json()) as { error: { code: number; message: string } };
    expect(error.code).toBe(-32000);
    expect(error.message).toMatch(/2 sessions are live/);
    expect(error.message).toMatch(/gateway\.http\.maxSessions is 2/);
    expect(error.message).toMatch(/DELETE/);
    expect(error.message).toMatch(/gateway\.http\.sessionIdleMs/);
    await expect(sessions.connect()).rejects.toThrow(/Too many sessions/);

    for (const { client } of [first, second]) {
      const echoed = await client.callTool({ name: 'fixture__echo', arguments: { text: 'still here' } });
      expect(textOf(echoed)).toBe('Echo: still here');
    }
    await first.transport.terminateSession();
    const third = await sessions.connect();
    expect(textOf(await third.client.callTool({ name: 'fixture__echo', arguments: { text: 'in' } }))).toBe(
      'Echo: in',
    );
  });
});
