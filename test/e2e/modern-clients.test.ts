// 2026-07-28 clients (the v2 SDK client pinned to that revision) against the built pml, over
// Streamable HTTP and stdio, with a 2025-11-25 downstream (our conformance fixture in its legacy era,
// which pushes its elicitation requests): discovery, calls, progress, the bridge of pushed requests
// into input_required rounds, a tampered requestState, and two pml instances taking turns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { conformanceFixtureCommand } from '../helpers/conformance-suite.js';
import {
  fixtureServer,
  gatewayEnv,
  startHttpGatewayProcess,
  textOf,
  writeConfig,
  type HttpGatewayProcess,
} from '../helpers/gateway.js';
import { CLI, NODE } from '../helpers/paths.js';

const MODERN = { versionNegotiation: { mode: { pin: '2026-07-28' as const } } };
const CONFIG = {
  mcpServers: {
    legacy: { ...conformanceFixtureCommand('legacy'), toolPrefix: 'never' },
    fixture: fixtureServer(),
  },
  storage: { enabled: false },
};
// Both instances sign with this key: what one hands out, the other accepts.
const SHARED_KEY = 'k'.repeat(64);

/** A modern client that answers each elicitation from `answers`, in order, and records the asks. */
function modernClient(answers: Record<string, unknown>[] = []) {
  const client = new Client(
    { name: 'modern-test', version: '1.0.0' },
    { ...MODERN, capabilities: { elicitation: {} } },
  );
  const asked: string[] = [];
  client.setRequestHandler('elicitation/create', async (request) => {
    asked.push(String(request.params.message));
    return { action: 'accept', content: (answers.shift() ?? {}) as Record<string, string> };
  });
  return { client, asked };
}

type RpcReply = {
  result?: { resultType?: string; requestState?: string; content?: { text?: string }[] };
  error?: { code: number; message: string; data?: unknown };
};

/** One JSON-RPC exchange on the 2026-07-28 wire, by hand: what a client that misbehaves can send. */
async function post(
  url: string,
  method: string,
  params: Record<string, unknown>,
  capabilities: Record<string, unknown> = { elicitation: {} },
) {
  const envelope = {
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1.0.0' },
    'io.modelcontextprotocol/clientCapabilities': capabilities,
  };
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': method,
      ...(typeof params.name === 'string' ? { 'mcp-name': params.name } : {}),
      ...(typeof params.taskId === 'string' ? { 'mcp-name': params.taskId } : {}),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: { ...params, _meta: envelope } }),
  });
  return { status: response.status, body: (await response.json()) as RpcReply };
}

describe('2026-07-28 clients over Streamable HTTP', () => {
  let gateway: HttpGatewayProcess;
  let other: HttpGatewayProcess;
  beforeAll(async () => {
    [gateway, other] = await Promise.all([
      startHttpGatewayProcess(CONFIG, [], { PML_STATE_KEY: SHARED_KEY }),
      startHttpGatewayProcess(CONFIG, [], { PML_STATE_KEY: SHARED_KEY }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([gateway?.stop(), other?.stop()]);
  });

  it('discovers pml, lists and calls tools, and gets progress on the call’s own stream', async () => {
    const { client } = modernClient();
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
    expect(client.getProtocolEra()).toBe('modern');
    expect(client.getServerVersion()?.name).toBe('pml');

    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('test_simple_text');
    expect(textOf(await client.callTool({ name: 'test_simple_text', arguments: {} }))).toBe(
      'This is a simple text response for testing.',
    );
    const progress: number[] = [];
    await client.callTool(
      { name: 'test_tool_with_progress', arguments: {} },
      { onprogress: (update) => progress.push(update.progress) },
    );
    expect(progress).toEqual([0, 50, 100]);
    await client.close();
  });

  it('announces a change of the tool list on the client’s subscriptions/listen stream', async () => {
    const { client } = modernClient();
    let announced!: () => void;
    const changed = new Promise<void>((resolve) => (announced = resolve));
    client.setNotificationHandler('notifications/tools/list_changed', () => announced());
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
    await client.listen({ toolsListChanged: true });

    await client.callTool({ name: 'fixture__add_tool', arguments: { name: 'late' } });

    await changed;
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('fixture__late');
    await client.close();
  });

  it('has the server send updates of the resources a listen stream names, and delivers them', async () => {
    const { client } = modernClient();
    let updated!: (uri: string) => void;
    const update = new Promise<string>((resolve) => (updated = resolve));
    client.setNotificationHandler('notifications/resources/updated', (notification) =>
      updated(notification.params.uri),
    );
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
    await client.listen({ resourceSubscriptions: ['fixture://note'] });

    // Once the stream is acknowledged, the owning server has been asked for updates.
    const touched = await client.callTool({ name: 'fixture__touch_note', arguments: {} });

    expect(textOf(touched)).toContain('subscribers told');
    expect(await update).toBe('fixture://note');
    await client.close();
  });

  it('puts the server’s logs on the stream of the call, at the call’s own log level', async () => {
    const { client } = modernClient();
    const logs: { level: string; data: unknown }[] = [];
    client.setNotificationHandler('notifications/message', (notification) => {
      logs.push({ level: notification.params.level, data: notification.params.data });
    });
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));

    const quiet = await client.callTool({ name: 'test_tool_with_logging', arguments: {} });
    expect(textOf(quiet)).toContain('executed successfully');
    expect(logs).toEqual([]); // no level asked: the revision says no log messages
    await client.callTool({
      name: 'test_tool_with_logging',
      arguments: {},
      _meta: { 'io.modelcontextprotocol/logLevel': 'info' },
    });

    expect(logs.map((log) => log.data)).toEqual([
      'Tool execution started',
      'Tool processing data',
      'Tool execution completed',
    ]);
    await client.close();
  });

  it('turns the legacy server’s pushed elicitations into input_required rounds the client answers', async () => {
    const { client, asked } = modernClient([{ name: 'Ada' }, { color: 'green' }]);
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));

    const result = await client.callTool({ name: 'test_input_required_result_multi_round', arguments: {} });

    expect(textOf(result)).toBe('Multi-round complete: Ada likes green');
    expect(asked).toEqual(['Step 1: What is your name?', 'Step 2: What is your favorite color?']);
    await client.close();
  });

  it('refuses a tampered requestState with -32602, and still serves the next call', async () => {
    const first = await post(gateway.url, 'tools/call', {
      name: 'test_input_required_result_elicitation',
      arguments: {},
    });
    expect(first.body.result?.resultType).toBe('input_required');
    const state = first.body.result!.requestState!;
    const tampered = state.slice(0, -4) + (state.endsWith('AAAA') ? 'BBBB' : 'AAAA');

    const retry = await post(gateway.url, 'tools/call', {
      name: 'test_input_required_result_elicitation',
      arguments: {},
      inputResponses: { user_name: { action: 'accept', content: { name: 'Mallory' } } },
      requestState: tampered,
    });

    expect(retry.body.error?.code).toBe(-32602);
    expect(retry.body.result).toBeUndefined();
    const honest = await post(gateway.url, 'tools/call', {
      name: 'test_input_required_result_elicitation',
      arguments: {},
      inputResponses: { user_name: { action: 'accept', content: { name: 'Alice' } } },
      requestState: state,
    });
    expect(honest.body.result?.content?.[0]?.text).toContain('Alice');
  });

  it('refuses a requestState handed out for another tool', async () => {
    const first = await post(gateway.url, 'tools/call', {
      name: 'test_input_required_result_elicitation',
      arguments: {},
    });
    const reused = await post(gateway.url, 'tools/call', {
      name: 'test_input_required_result_multi_round',
      arguments: {},
      inputResponses: { step1: { action: 'accept', content: { name: 'Eve' } } },
      requestState: first.body.result?.requestState,
    });
    expect(reused.body.error?.code).toBe(-32602);
  });

  it('answers the revision’s own errors: removed method, unsupported version, header/body mismatch', async () => {
    const removed = await post(gateway.url, 'logging/setLevel', { level: 'info' });
    expect(removed.body.error?.code).toBe(-32601);

    const envelope = (version: string) => ({
      'io.modelcontextprotocol/protocolVersion': version,
      'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1.0.0' },
      'io.modelcontextprotocol/clientCapabilities': {},
    });
    const send = (headers: Record<string, string>, body: unknown) =>
      fetch(gateway.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...headers,
        },
        body: JSON.stringify(body),
      }).then(async (response) => ({ status: response.status, body: (await response.json()) as RpcReply }));
    const future = await send(
      { 'mcp-protocol-version': '2099-01-01', 'mcp-method': 'tools/list' },
      { jsonrpc: '2.0', id: 2, method: 'tools/list', params: { _meta: envelope('2099-01-01') } },
    );
    expect(future.status).toBe(400);
    expect(future.body.error).toMatchObject({ code: -32022, data: { supported: ['2026-07-28'] } });
    const mismatch = await send(
      { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'another_tool' },
      {
        jsonrpc: '2.0',
        id: 3,
        method: 'tools/call',
        params: { name: 'test_simple_text', arguments: {}, _meta: envelope('2026-07-28') },
      },
    );
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error?.code).toBe(-32020);
  });

  it('answers the tasks extension as a server without it: calls run to their result, task methods are refused', async () => {
    const tasks = { extensions: { 'io.modelcontextprotocol/tasks': {} } };
    const call = await post(
      gateway.url,
      'tools/call',
      { name: 'test_simple_text', arguments: {}, task: { ttl: 60_000 } },
      tasks,
    );
    expect(call.body.result).toMatchObject({ resultType: 'complete', content: [{ type: 'text' }] });

    const undeclared = await post(gateway.url, 'tasks/get', { taskId: 'any' }, {});
    expect(undeclared.status).toBe(400);
    expect(undeclared.body.error?.code).toBe(-32021);
    const declared = await post(gateway.url, 'tasks/get', { taskId: 'any' }, tasks);
    expect(declared.body.error?.code).toBe(-32601);
    expect(declared.body.error?.message).toContain('does not offer');
  });

  it('needs no session affinity: two instances taking turns serve one multi-round call', async () => {
    const urls = [gateway.url, other.url];
    const served: string[] = [];
    let turn = 0;
    // A round-robin balancer in front of the two instances: each request goes to the next one.
    const roundRobin: typeof fetch = (input, init) => {
      const url = urls[turn++ % urls.length]!;
      served.push(url);
      return fetch(url, init);
    };
    const { client } = modernClient([{ name: 'Grace' }, { color: 'blue' }]);
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url), { fetch: roundRobin }));

    const result = await client.callTool({ name: 'test_input_required_result_multi_round', arguments: {} });

    expect(textOf(result)).toBe('Multi-round complete: Grace likes blue');
    expect(new Set(served)).toEqual(new Set(urls));
    await client.close();
  });
});

describe('a 2026-07-28 client over stdio', () => {
  let client: Client;
  beforeAll(async () => {
    // A 2026-07-28 server behind pml too: its own input_required rounds reach this client as pml's.
    const { dir, path } = writeConfig({
      ...CONFIG,
      mcpServers: { ...CONFIG.mcpServers, modern: conformanceFixtureCommand('modern') },
    });
    client = modernClient([{ name: 'Lin' }, { name: 'Mo' }, { color: 'red' }]).client;
    await client.connect(
      new StdioClientTransport({
        command: NODE,
        args: [CLI, 'serve', '--config', path],
        env: gatewayEnv(dir),
        stderr: 'pipe',
      }),
    );
  });
  afterAll(async () => {
    await client?.close();
  });

  it('is served in its era on the same command, bridge included', async () => {
    expect(client.getProtocolEra()).toBe('modern');
    // Both fixtures serve the same names: a collision is prefixed, whatever toolPrefix says.
    expect(textOf(await client.callTool({ name: 'legacy__test_simple_text', arguments: {} }))).toContain(
      'simple text',
    );
    const result = await client.callTool({
      name: 'legacy__test_input_required_result_elicitation',
      arguments: {},
    });
    expect(textOf(result)).toContain('Lin');
  });

  it('has the server send updates of the resources a listen stream names', async () => {
    let updated!: (uri: string) => void;
    const update = new Promise<string>((resolve) => (updated = resolve));
    client.setNotificationHandler('notifications/resources/updated', (notification) =>
      updated(notification.params.uri),
    );
    await client.listen({ resourceSubscriptions: ['fixture://note'] });
    const touched = await client.callTool({ name: 'fixture__touch_note', arguments: {} });
    expect(textOf(touched)).toContain('subscribers told');
    expect(await update).toBe('fixture://note');
  });

  it('carries a 2026-07-28 server’s own multi-round input_required through to the client', async () => {
    const result = await client.callTool({
      name: 'modern__test_input_required_result_multi_round',
      arguments: {},
    });
    expect(textOf(result)).toBe('Multi-round complete: Mo likes red');
  });
});
