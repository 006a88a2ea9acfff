// A 2025-11-25 client ends its session with DELETE (the MCP spec's session management): from then
// on its id gets 404 on every path, its listening stream ends, its call in flight is cancelled at
// the downstream server and its resource subscriptions are released there, unless another session
// still holds them. Real pml over HTTP, real SDK clients, the fixture server behind it.
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

async function expectSessionNotFound(response: Response): Promise<void> {
  expect(response.status).toBe(404);
  const body = (await response.json()) as { jsonrpc: string; error: { code: number; message: string } };
  expect(body).toMatchObject({ jsonrpc: '2.0', error: { code: -32001 } });
  expect(body.error.message).toMatch(/^Session not found/);
}

describe('DELETE ends a 2025-11-25 HTTP session', () => {
  let gateway: HttpGatewayProcess;
  const sessions = createSdkSessions(() => gateway.url);
  beforeAll(async () => {
    gateway = await startHttpGatewayProcess({ mcpServers: { fixture: fixtureServer() } });
  });
  afterEach(() => sessions.closeAll());
  afterAll(() => stopGateway(gateway));

  it('answers 404 to every later request with that id: JSON path, SDK path, GET and DELETE', async () => {
    const { client, transport, sessionId } = await sessions.connect();
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await transport.terminateSession();

    await expectSessionNotFound(
      await postMcp(gateway.url, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, sessionId),
    );
    const withProgress = toolCall(3, 'fixture__echo', { text: 'late' }, { progressToken: 'p3' });
    await expectSessionNotFound(await postMcp(gateway.url, withProgress, sessionId));
    await expectSessionNotFound(await openGetStream(gateway.url, sessionId));
    await expectSessionNotFound(await deleteSession(gateway.url, sessionId));
  });

  it('ends the session’s open GET stream', async () => {
    const sessionId = await openRawSession(gateway.url);
    const stream = await openGetStream(gateway.url, sessionId);
    expect(stream.status).toBe(200);
    expect((await deleteSession(gateway.url, sessionId)).status).toBe(200);
    // Resolves only when pml ends the stream; a stream left open would hang here.
    await stream.text();
    await expectSessionNotFound(
      await postMcp(gateway.url, { jsonrpc: '2.0', id: 2, method: 'ping' }, sessionId),
    );
  });

  it('cancels its call in flight at the downstream server, and keeps serving other sessions', async () => {
    const { client: observer } = await sessions.connect();
    const count = async (tool: string) =>
      Number(textOf(await observer.callTool({ name: tool, arguments: {} })));
    const cancellationsBefore = await count('fixture__cancellations');
    const hangsBefore = await count('fixture__hangs_started');
    const leaving = await sessions.connect();
    const pending = leaving.client.callTool({ name: 'fixture__hang', arguments: {} }).then(
      () => 'answered',
      (error: unknown) => String(error),
    );
    await waitFor(async () => (await count('fixture__hangs_started')) > hangsBefore);
    await leaving.transport.terminateSession();

    expect(await pending).toMatch(/Session not found/);
    await waitFor(async () => (await count('fixture__cancellations')) > cancellationsBefore);
    expect(textOf(await observer.callTool({ name: 'fixture__echo', arguments: { text: 'alive' } }))).toBe(
      'Echo: alive',
    );
  });

  it('releases its resource subscription at the server when no other session holds it', async () => {
    const { client: observer } = await sessions.connect();
    const subscriber = await sessions.connect();
    // A tool call waits for the servers still starting; a subscribe alone would not.
    expect((await readSubscriptions(observer)).subscribed).not.toContain(NOTE);
    await subscriber.client.subscribeResource({ uri: NOTE });
    expect((await readSubscriptions(observer)).subscribed).toContain(NOTE);
    await subscriber.transport.terminateSession();
    await waitFor(async () => !(await readSubscriptions(observer)).subscribed.includes(NOTE));
  });

  it('keeps the subscription at the server while another session still holds it', async () => {
    const { client: observer } = await sessions.connect();
    const [first, second] = [await sessions.connect(), await sessions.connect()];
    expect((await readSubscriptions(observer)).subscribed).not.toContain(NOTE);
    await first.client.subscribeResource({ uri: NOTE });
    await second.client.subscribeResource({ uri: NOTE });
    const before = await readSubscriptions(observer);
    expect(before.subscribed).toContain(NOTE);

    await first.transport.terminateSession();
    // pml releases synchronously while it ends the session, before it answers the DELETE; the
    // observer's call reaches the server after any unsubscribe that release would have sent.
    expect(await readSubscriptions(observer)).toEqual(before);
    await second.transport.terminateSession();
    await waitFor(async () => !(await readSubscriptions(observer)).subscribed.includes(NOTE));
    expect((await readSubscriptions(observer)).unsubscribes).toBe(before.unsubscribes + 1);
  });
});
