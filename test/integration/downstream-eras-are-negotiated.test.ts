// Each downstream server is spoken to in its own MCP era: a 2025-11-25 server (in memory) and a
// 2026-07-28-only server (createMcpHandler, reached over Streamable HTTP through an in-process
// fetch) behind one gateway, with a 2025 SDK client in front. The era is probed once per server,
// shown in gateway_status, reused on restarts and probed again after a connect that failed.
import {
  ProtocolError,
  ProtocolErrorCode,
  inputRequired,
  acceptedContent,
} from '@modelcontextprotocol/server';
import type { CallToolResult, JSONRPCMessage } from '@modelcontextprotocol/server';
import type { Client } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { textOf, waitFor } from '../helpers/gateway.js';
import {
  createDeferred,
  createToolServer,
  startInProcessGateway,
  textResult,
  type InProcessGateway,
  type TestTool,
} from '../helpers/in-process.js';

let harness: InProcessGateway | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const NUMBERS = { type: 'object' as const, properties: { a: { type: 'number' }, b: { type: 'number' } } };

/** The 2025 server: one echo tool. */
const createLegacyServer = () =>
  createToolServer({ echo: { handle: (args) => textResult(`echo: ${String(args.text)}`) } });

/** What a test may add to the modern server: a tool that waits, and a switch that fails one request. */
interface ModernControls {
  tools?: Record<string, TestTool>;
  /** Set to fail the next request the server gets (an outage of one request), then clears itself. */
  failNext?: boolean;
}

/** The 2026-07-28 server: plain tools, a refusal, progress, and tools that ask the client for input. */
function createModernServer(controls: ModernControls) {
  return () => {
    if (controls.failNext) {
      controls.failNext = false;
      throw new Error('the modern server is down for this request');
    }
    const server = createToolServer(
      {
        add: {
          inputSchema: NUMBERS,
          handle: (args) => textResult(String(Number(args.a) + Number(args.b))),
        },
        refuse: {
          handle: () => {
            throw new ProtocolError(ProtocolErrorCode.InvalidParams, 'refused on purpose', { why: 'test' });
          },
        },
        count: {
          handle: async (_args, extra) => {
            const progressToken = extra.mcpReq._meta?.progressToken;
            for (const progress of [1, 2, 3]) {
              if (progressToken === undefined) break;
              await extra.mcpReq.notify({
                method: 'notifications/progress',
                params: { progressToken, progress, total: 3 },
              });
            }
            return textResult('counted to 3');
          },
        },
        greet: {
          handle: (_args, extra) => {
            const answer = acceptedContent<{ name: string }>(extra.mcpReq.inputResponses, 'who');
            if (answer) return textResult(`Hello, ${answer.name}!`);
            const requestedSchema = {
              type: 'object' as const,
              properties: { name: { type: 'string' as const } },
              required: ['name'],
            };
            return asToolResult(
              inputRequired({
                inputRequests: { who: inputRequired.elicit({ message: 'Your name?', requestedSchema }) },
              }),
            );
          },
        },
        summarize: {
          handle: (_args, extra) => {
            const response = extra.mcpReq.inputResponses?.summary as
              { content?: { type: string; text?: string } } | undefined;
            if (response?.content?.type === 'text') return textResult(`summary: ${response.content.text}`);
            const question = {
              messages: [
                { role: 'user' as const, content: { type: 'text' as const, text: 'Summarize pml.' } },
              ],
              maxTokens: 20,
            };
            return asToolResult(
              inputRequired({ inputRequests: { summary: inputRequired.createMessage(question) } }),
            );
          },
        },
        shout: {
          handle: async (_args, extra) => {
            await extra.mcpReq.log('info', 'shouting', 'modern');
            return textResult('shouted');
          },
        },
        ...controls.tools,
      },
      { logging: {}, resources: { subscribe: true } },
    );
    server.setRequestHandler('resources/list', () => ({ resources: [{ uri: MEMO, name: 'memo' }] }));
    server.setRequestHandler('resources/read', () => ({ contents: [{ uri: MEMO, text: 'remember' }] }));
    return server;
  };
}

const MEMO = 'memo://today';

/** An input_required answer is a tools/call handler's return value on 2026-07-28, not a CallToolResult. */
const asToolResult = (result: unknown) => result as CallToolResult;

async function startBothEras(controls: ModernControls = {}, gateway: Record<string, unknown> = {}) {
  harness = await startInProcessGateway({
    servers: { old: createLegacyServer },
    modernServers: { new: createModernServer(controls) },
    gateway,
  });
  return harness;
}

type Status = {
  id: string;
  state: string;
  restarts: number;
  era?: string;
  protocolVersion?: string;
  negotiatedAt?: string;
  lastError?: { message: string };
};

async function readStatuses(client: Client): Promise<Record<string, Status>> {
  const result = await client.callTool({ name: 'gateway_status', arguments: {} });
  const { servers } = result.structuredContent as { servers: Status[] };
  return Object.fromEntries(servers.map((server) => [server.id, server]));
}

const statusOf = (serverId: string) =>
  harness!.gateway.core.toHealth().servers.find((server) => server.id === serverId)!;

const methodsSentTo = (serverId: string) =>
  harness!.messagesTo(serverId).flatMap((message) => ('method' in message ? [message.method] : []));

type SentRequest = {
  id?: string | number;
  params: { _meta?: Record<string, unknown> } & Record<string, unknown>;
};

/** The `method` requests the gateway sent `serverId`, in order. */
const requestsTo = (serverId: string, method: string) =>
  harness!
    .messagesTo(serverId)
    .filter((message: JSONRPCMessage) => 'method' in message && message.method === method) as SentRequest[];

/** The `server/discover` probes (string ids), not a modern server's health checks (numeric ids). */
const probesSentTo = (serverId: string) =>
  requestsTo(serverId, 'server/discover').filter((request) => typeof request.id === 'string').length;

/** Waits until `serverId` is ready again after at least `restarts` restarts. */
const waitUntilRestarted = (serverId: string, restarts: number) =>
  waitFor(() => {
    const status = statusOf(serverId);
    return status.state === 'ready' && status.restarts >= restarts ? status : undefined;
  });

describe('downstream eras', () => {
  it('speaks 2025-11-25 to the legacy server and 2026-07-28 to the modern one, and says so in gateway_status', async () => {
    await startBothEras();
    const client = await harness!.connectClient();

    const statuses = await readStatuses(client);

    expect(statuses.old).toMatchObject({ state: 'ready', era: 'legacy', protocolVersion: '2025-11-25' });
    expect(statuses.new).toMatchObject({ state: 'ready', era: 'modern', protocolVersion: '2026-07-28' });
    expect(Date.parse(statuses.new!.negotiatedAt!)).not.toBeNaN();
    // One probe each; the legacy server answered it method-not-found and got initialize, the modern
    // one was never sent initialize.
    expect(methodsSentTo('old').slice(0, 2)).toEqual(['server/discover', 'initialize']);
    expect(methodsSentTo('new')).not.toContain('initialize');
    expect(probesSentTo('new')).toBe(1);
  });

  it('lists and calls the tools of both servers, each request in its own era', async () => {
    await startBothEras();
    const client = await harness!.connectClient();

    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['old__echo', 'new__add', 'new__greet']));
    expect(textOf(await client.callTool({ name: 'old__echo', arguments: { text: 'hi' } }))).toBe('echo: hi');
    expect(textOf(await client.callTool({ name: 'new__add', arguments: { a: 2, b: 3 } }))).toBe('5');

    // The modern call carried the 2026-07-28 envelope in its _meta; the legacy one did not.
    expect(requestsTo('new', 'tools/call')[0]!.params._meta).toMatchObject({
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    });
    expect(requestsTo('old', 'tools/call')[0]!.params._meta ?? {}).not.toHaveProperty(
      'io.modelcontextprotocol/protocolVersion',
    );
  });

  it("passes a modern server's JSON-RPC error to the client with its code and message", async () => {
    await startBothEras();
    const client = await harness!.connectClient();

    const failure = await client
      .callTool({ name: 'new__refuse', arguments: {} })
      .catch((error: unknown) => error);

    expect(failure).toMatchObject({ code: ProtocolErrorCode.InvalidParams });
    expect((failure as Error).message).toContain('refused on purpose');
  });

  it("passes a modern server's progress to the caller", async () => {
    await startBothEras();
    const client = await harness!.connectClient();
    const progress: number[] = [];

    const result = await client.callTool(
      { name: 'new__count', arguments: {} },
      { onprogress: (update) => progress.push(update.progress) },
    );

    expect(textOf(result)).toBe('counted to 3');
    expect(progress).toEqual([1, 2, 3]);
  });

  it("turns a modern server's input_required elicitation into an elicitation/create to the client, whose answer completes the call", async () => {
    await startBothEras();
    const asked: string[] = [];
    const client = await harness!.connectClient({ elicitation: {} }, (inbound) =>
      inbound.setRequestHandler('elicitation/create', (request) => {
        asked.push(request.params.message);
        return { action: 'accept', content: { name: 'Ada' } };
      }),
    );

    const result = await client.callTool({ name: 'new__greet', arguments: {} });

    expect(textOf(result)).toBe('Hello, Ada!');
    expect(asked).toEqual(['Your name?']);
  });

  it("turns a modern server's input_required sampling into a sampling/createMessage to the client", async () => {
    await startBothEras();
    const client = await harness!.connectClient({ sampling: {} }, (inbound) =>
      inbound.setRequestHandler('sampling/createMessage', () => ({
        model: 'test-model',
        role: 'assistant',
        content: { type: 'text', text: 'a gateway' },
      })),
    );

    const result = await client.callTool({ name: 'new__summarize', arguments: {} });

    expect(textOf(result)).toBe('summary: a gateway');
  });

  it('cancels a modern call its caller gives up on, and the server sees the cancellation', async () => {
    const started = createDeferred();
    const cancelled = createDeferred();
    await startBothEras({
      tools: {
        wait: {
          handle: (_args, extra) =>
            new Promise<CallToolResult>((resolve) => {
              extra.mcpReq.signal.addEventListener('abort', () => {
                cancelled.resolve();
                resolve(textResult('cancelled'));
              });
              started.resolve();
            }),
        },
      },
    });
    const client = await harness!.connectClient();
    const caller = new AbortController();

    const call = client.callTool({ name: 'new__wait', arguments: {} }, { signal: caller.signal });
    await started.promise;
    caller.abort('the caller gave up');

    await expect(call).rejects.toThrow();
    await cancelled.promise;
  });

  it('times a modern call out at the call timeout and says so', async () => {
    await startBothEras(
      { tools: { hang: { handle: () => new Promise<CallToolResult>(() => {}) } } },
      { callTimeoutMs: 200 },
    );
    const client = await harness!.connectClient();

    const result = await client.callTool({ name: 'new__hang', arguments: {} });

    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/did not answer within 200 ms; pml cancelled the request/);
  });

  it('checks a modern server with server/discover and a legacy one with ping', async () => {
    await startBothEras({}, { healthCheckIntervalMs: 20, healthCheckTimeoutMs: 1000 });

    const healthChecks = () =>
      requestsTo('new', 'server/discover').filter((request) => typeof request.id === 'number');
    await waitFor(() => healthChecks().length >= 2 && methodsSentTo('old').includes('ping'));

    expect(methodsSentTo('new')).not.toContain('ping');
    expect(statusOf('new').state).toBe('ready');
  });

  it('reuses each verdict on a restart and probes again after a connect that failed', async () => {
    const controls: ModernControls = {};
    await startBothEras(controls, { restart: { initialDelayMs: 10 } });
    const negotiatedAt = statusOf('new').negotiatedAt;
    expect(probesSentTo('new')).toBe(1);
    expect(probesSentTo('old')).toBe(1);

    // A dropped connection: both reconnect on the verdicts they have, with no probe.
    await harness!.dropConnection('new');
    await harness!.dropConnection('old');
    await waitUntilRestarted('new', 1);
    await waitUntilRestarted('old', 1);
    expect(probesSentTo('new')).toBe(1);
    expect(probesSentTo('old')).toBe(1);
    expect(methodsSentTo('old').filter((method) => method === 'initialize')).toHaveLength(2);
    expect(statusOf('new')).toMatchObject({ era: 'modern', negotiatedAt });

    // The next connect fails (the server's first answer is an error): the verdict it used is
    // dropped, and the connect after it probes again.
    controls.failNext = true;
    await harness!.dropConnection('new');
    const recovered = await waitUntilRestarted('new', 3);
    expect(recovered.lastError?.message).toMatch(/failed to start/);
    expect(probesSentTo('new')).toBe(2);
    expect(recovered).toMatchObject({ era: 'modern', protocolVersion: '2026-07-28' });
    expect(recovered.negotiatedAt).not.toBe(negotiatedAt);

    const client = await harness!.connectClient();
    expect(textOf(await client.callTool({ name: 'new__add', arguments: { a: 1, b: 1 } }))).toBe('2');
  });

  it("passes the client's log level to a modern server as each request's logLevel, and its logs back", async () => {
    await startBothEras();
    const logged = createDeferred<unknown>();
    const client = await harness!.connectClient({}, (inbound) =>
      inbound.setNotificationHandler('notifications/message', (notification) =>
        logged.resolve(notification.params),
      ),
    );

    await client.setLoggingLevel('info');
    expect(textOf(await client.callTool({ name: 'new__shout', arguments: {} }))).toBe('shouted');

    expect(await logged.promise).toMatchObject({ level: 'info', data: 'shouting' });
    expect(requestsTo('new', 'tools/call')[0]!.params._meta).toMatchObject({
      'io.modelcontextprotocol/logLevel': 'info',
    });
    expect(methodsSentTo('new')).not.toContain('logging/setLevel');
  });

  it("subscribes a client to a modern server's resource over a subscriptions/listen stream", async () => {
    await startBothEras();
    const updated = createDeferred<unknown>();
    const client = await harness!.connectClient({}, (inbound) =>
      inbound.setNotificationHandler('notifications/resources/updated', (notification) =>
        updated.resolve(notification.params),
      ),
    );

    await client.subscribeResource({ uri: MEMO });
    harness!.notifyModern('new').resourceUpdated(MEMO);

    expect(await updated.promise).toMatchObject({ uri: MEMO });
    const listens = requestsTo('new', 'subscriptions/listen');
    expect(listens.map((listen) => listen.params.notifications)).toContainEqual({
      resourceSubscriptions: [MEMO],
    });
    await client.unsubscribeResource({ uri: MEMO });
  });
});
