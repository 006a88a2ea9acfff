// HTTP upstreams that restart, forget sessions or go away, behind the built pml over stdio: a lost
// session (404, or the 400 "No valid session ID" server-everything sends) is healed with one new
// session and the request sent again, once; concurrent calls share it and none runs twice; an
// unreachable server is `down` with its URL and cause, calls fail at once, and the first call after it
// is back works. Health checks are set to ten minutes: nothing here waits for one.
import { afterEach, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { closeAndRemove, startStdioGateway, textOf, waitFor, type StdioGateway } from '../helpers/gateway.js';
import {
  findFreePort,
  forgetSessions,
  startEverythingHttp,
  startForgetfulServer,
  type UpstreamProcess,
} from '../helpers/upstream-process.js';

const NO_HEALTH_CHECKS = { healthCheckIntervalMs: 600_000 };

let gateway: StdioGateway | undefined;
let upstreams: UpstreamProcess[] = [];

afterEach(async () => {
  await closeAndRemove(gateway);
  gateway = undefined;
  await Promise.all(upstreams.map((upstream) => upstream.kill()));
  upstreams = [];
});

async function upstream(start: Promise<UpstreamProcess>): Promise<UpstreamProcess> {
  const started = await start;
  upstreams.push(started);
  return started;
}

async function gatewayFor(url: string, gatewaySection: Record<string, unknown> = NO_HEALTH_CHECKS) {
  gateway = await startStdioGateway({
    mcpServers: { up: { url } },
    gateway: gatewaySection,
    storage: { enabled: false },
  });
  return gateway.client;
}

async function call(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = await client.callTool({ name, arguments: args });
  return { text: textOf(result), isError: result.isError === true };
}

async function statusOf(client: Client) {
  const result = await client.callTool({ name: 'gateway_status', arguments: {} });
  const servers = (result.structuredContent as { servers: Record<string, unknown>[] }).servers;
  return servers.find((server) => server.id === 'up')!;
}

describe.each([404, 400] as const)('an HTTP server that forgets sessions with %s', (status) => {
  it('gets a new session at once and the call succeeds the first time', async () => {
    const server = await upstream(startForgetfulServer(await findFreePort(), status));
    const client = await gatewayFor(server.url);
    expect(await call(client, 'up__echo', { text: 'before' })).toEqual({
      text: 'Echo: before',
      isError: false,
    });

    await forgetSessions(server);

    expect(await call(client, 'up__echo', { text: 'after' })).toEqual({
      text: 'Echo: after',
      isError: false,
    });
    expect((await call(client, 'up__sessions')).text).toBe('2');
  });
});

describe('healing a lost session', () => {
  it('shares one new session among concurrent calls and runs each call once', async () => {
    const server = await upstream(startForgetfulServer(await findFreePort()));
    const client = await gatewayFor(server.url);
    const callsBefore = Number((await call(client, 'up__calls')).text);
    const sessionsBefore = Number((await call(client, 'up__sessions')).text);

    await forgetSessions(server);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => call(client, 'up__echo', { text: String(i) })),
    );

    expect(answers.map((answer) => answer.text)).toEqual(Array.from({ length: 10 }, (_, i) => `Echo: ${i}`));
    expect(Number((await call(client, 'up__sessions')).text)).toBe(sessionsBefore + 1);
    // Since `calls` counted itself: `sessions`, the 10 echoes, `sessions` again, and this `calls`.
    expect(Number((await call(client, 'up__calls')).text)).toBe(callsBefore + 13);
  });

  it('hears the server again on the new session: a list change reaches the client', async () => {
    const server = await upstream(startForgetfulServer(await findFreePort()));
    const client = await gatewayFor(server.url);
    let changes = 0;
    client.setNotificationHandler('notifications/tools/list_changed', () => void changes++);
    expect((await call(client, 'up__echo', { text: 'first' })).isError).toBe(false);
    await forgetSessions(server);
    expect((await call(client, 'up__echo', { text: 'heal' })).isError).toBe(false);

    // The list changes pml announced so far (its first connect is one) end before this call's answer.
    const changesBefore = changes;
    const announced = await call(client, 'up__announce');

    expect(announced).toEqual({ text: 'announced_1', isError: false });
    await waitFor(() => changes > changesBefore);
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('up__announced_1');
  });
});

describe('an HTTP server that goes away', () => {
  it('is down with its URL and cause, and the first call after it is back works', async () => {
    const port = await findFreePort();
    const first = await upstream(startForgetfulServer(port));
    const client = await gatewayFor(first.url);
    expect((await call(client, 'up__echo', { text: 'up' })).isError).toBe(false);

    await first.kill();
    const whileDown = await call(client, 'up__echo', { text: 'down' });

    expect(whileDown.isError).toBe(true);
    expect(whileDown.text).toContain(`Server "up" at ${first.url} is unreachable`);
    expect(whileDown.text).toMatch(/connection (refused|reset)/);
    const down = await statusOf(client);
    expect(down).toMatchObject({ state: 'down', target: first.url });
    expect(String((down.lastError as { message: string }).message)).toContain(first.url);

    await upstream(startForgetfulServer(port));

    expect(await call(client, 'up__echo', { text: 'back' })).toEqual({ text: 'Echo: back', isError: false });
    expect(await statusOf(client)).toMatchObject({ state: 'ready' });
  });

  it('notices by itself that the server is back, with no call and no health check', async () => {
    const port = await findFreePort();
    const first = await upstream(startForgetfulServer(port));
    const client = await gatewayFor(first.url, {
      ...NO_HEALTH_CHECKS,
      restart: { initialDelayMs: 20, maxDelayMs: 100 },
    });
    expect((await call(client, 'up__sessions')).text).toBe('1');
    await first.kill();
    // Its event stream breaks: pml checks the server at once and finds it down, with no call made.
    await waitFor(async () => ((await statusOf(client)).state === 'down' ? true : undefined));

    await upstream(startForgetfulServer(port));

    await waitFor(async () => ((await statusOf(client)).state === 'ready' ? true : undefined));
    expect((await call(client, 'up__sessions')).text).toBe('1');
  });

  it('names the URL and the cause when nothing listens there at all', async () => {
    const url = `http://127.0.0.1:${await findFreePort()}/mcp`;
    const client = await gatewayFor(url);

    const status = await statusOf(client);

    expect(status.state).toBe('down');
    expect((status.lastError as { message: string }).message).toMatch(
      new RegExp(`Server "up" at ${url} is unreachable: connection refused \\(ECONNREFUSED\\)`),
    );
  });
});

describe('server-everything in streamableHttp mode, restarted', () => {
  it('keeps working through pml where a direct client is left with "No valid session ID"', async () => {
    const port = await findFreePort();
    const first = await upstream(startEverythingHttp(port));
    const direct = new Client({ name: 'direct', version: '1.0.0' });
    await direct.connect(new StreamableHTTPClientTransport(new URL(first.url)));
    const client = await gatewayFor(first.url);
    expect(textOf(await direct.callTool({ name: 'echo', arguments: { message: 'a' } }))).toBe('Echo: a');
    expect((await call(client, 'up__echo', { message: 'a' })).text).toBe('Echo: a');

    await first.kill();
    await upstream(startEverythingHttp(port));

    await expect(direct.callTool({ name: 'echo', arguments: { message: 'b' } })).rejects.toThrow(
      /No valid session ID/,
    );
    expect(await call(client, 'up__echo', { message: 'b' })).toEqual({ text: 'Echo: b', isError: false });
    await direct.close().catch(() => {});
  });
});
