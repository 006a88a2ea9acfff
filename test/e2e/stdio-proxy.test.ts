// The built gateway over stdio, in front of server-everything and our misbehaving fixture server:
// routing, schemas, _meta, progress, cancellation, timeouts, crashes and the non-tool MCP surface.
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client, ProtocolError } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  everythingServer,
  fixtureServer,
  startStdioGateway,
  textOf,
  waitFor,
  type StdioGateway,
} from '../helpers/gateway.js';
import { EVERYTHING_SERVER, NODE } from '../helpers/paths.js';

let gateway: StdioGateway;
let toolListChanges = 0;
const logMessages: unknown[] = [];

beforeAll(async () => {
  gateway = await startStdioGateway(
    {
      mcpServers: { everything: everythingServer(), fixture: fixtureServer({ callTimeoutMs: 1500 }) },
      gateway: { restart: { initialDelayMs: 100 } },
    },
    {
      clientOptions: { capabilities: { sampling: {}, elicitation: {}, roots: { listChanged: true } } },
      setup: (client) => {
        client.setNotificationHandler('notifications/tools/list_changed', () => void toolListChanges++);
        client.setNotificationHandler(
          'notifications/message',
          (notification) => void logMessages.push(notification.params),
        );
        client.setRequestHandler('sampling/createMessage', async (request) => ({
          role: 'assistant',
          model: 'test-model',
          content: { type: 'text', text: `sampled: ${JSON.stringify(request.params.messages[0]?.content)}` },
        }));
        client.setRequestHandler('elicitation/create', async () => ({ action: 'decline' }));
        client.setRequestHandler('roots/list', async () => ({
          roots: [{ uri: 'file:///tmp/test-root', name: 'test root' }],
        }));
      },
    },
  );
});

afterAll(async () => {
  await gateway?.close();
});

describe('tools over stdio', () => {
  it('lists every downstream tool with its server prefix and its schema unchanged', async () => {
    const direct = new Client({ name: 'direct', version: '1.0.0' });
    await direct.connect(
      new StdioClientTransport({ command: NODE, args: [EVERYTHING_SERVER], stderr: 'ignore' }),
    );
    const directTools = (await direct.listTools()).tools;
    await direct.close();

    const { tools } = await gateway.client.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toContain('gateway_status');
    expect(names).toContain('fixture__echo');
    const directEcho = directTools.find((tool) => tool.name === 'echo')!;
    const proxiedEcho = tools.find((tool) => tool.name === 'everything__echo')!;
    expect(proxiedEcho.inputSchema).toEqual(directEcho.inputSchema);
    expect(proxiedEcho.description).toBe(directEcho.description);
    expect(names.every((name) => /^[A-Za-z0-9_.-]{1,128}$/.test(name))).toBe(true);
  });

  it('routes a call to the right server', async () => {
    const result = await gateway.client.callTool({
      name: 'everything__echo',
      arguments: { message: 'hello' },
    });
    expect(textOf(result)).toContain('hello');
    const fixture = await gateway.client.callTool({ name: 'fixture__echo', arguments: { text: 'hi' } });
    expect(textOf(fixture)).toBe('Echo: hi');
  });

  it('passes the client _meta through to the server', async () => {
    const result = await gateway.client.callTool({
      name: 'fixture__record_meta',
      arguments: {},
      _meta: { 'example.com/trace': 'abc' },
    });
    expect(JSON.parse(textOf(result))).toMatchObject({ 'example.com/trace': 'abc' });
  });

  it('relays progress notifications with the client token', async () => {
    const progress: number[] = [];
    const result = await gateway.client.callTool(
      { name: 'fixture__slow', arguments: { ms: 200 } },
      {
        onprogress: (update) => progress.push(update.progress),
      },
    );
    expect(textOf(result)).toBe('slept 200 ms');
    expect(progress).toEqual([1, 2, 3, 4]);
  });

  it('cancels the downstream request when the client cancels', async () => {
    const before = Number(
      textOf(await gateway.client.callTool({ name: 'fixture__cancellations', arguments: {} })),
    );
    const hangs = async () =>
      Number(textOf(await gateway.client.callTool({ name: 'fixture__hangs_started', arguments: {} })));
    const hangsBefore = await hangs();
    const controller = new AbortController();
    const call = gateway.client.callTool(
      { name: 'fixture__hang', arguments: {} },
      {
        signal: controller.signal,
      },
    );
    // Cancel once the call has reached the server, not after a guessed delay.
    await waitFor(async () => (await hangs()) > hangsBefore);
    controller.abort('user gave up');
    await expect(call).rejects.toThrow();
    await waitFor(
      async () =>
        Number(textOf(await gateway.client.callTool({ name: 'fixture__cancellations', arguments: {} }))) >
        before,
    );
  });

  it('times out a call that never answers, cancels it downstream and says so', async () => {
    const before = Number(
      textOf(await gateway.client.callTool({ name: 'fixture__cancellations', arguments: {} })),
    );
    const result = await gateway.client.callTool({ name: 'fixture__hang', arguments: {} });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/did not answer within 1500 ms; pml cancelled the request/);
    await waitFor(
      async () =>
        Number(textOf(await gateway.client.callTool({ name: 'fixture__cancellations', arguments: {} }))) >
        before,
    );
  });

  it('answers an unknown tool with a protocol error that suggests the right name', async () => {
    const error = await gateway.client.callTool({ name: 'echo', arguments: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).code).toBe(-32602);
    expect((error as ProtocolError).message).toMatch(
      /Unknown tool "echo"\. Did you mean .*"everything__echo"/,
    );
  });

  it('rejects arguments that do not fit the schema, naming the field', async () => {
    const result = await gateway.client.callTool({ name: 'fixture__strict', arguments: { count: 'three' } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/Invalid arguments for fixture__strict: "count" must be integer/);
    const missing = await gateway.client.callTool({ name: 'everything__echo', arguments: {} });
    expect(textOf(missing)).toMatch(/missing required property "message"/);
  });

  it('passes isError results and JSON-RPC errors through unchanged', async () => {
    const failed = await gateway.client.callTool({
      name: 'fixture__fail',
      arguments: { message: 'disk full' },
    });
    expect(failed).toMatchObject({ isError: true, content: [{ type: 'text', text: 'disk full' }] });
    const thrown = await gateway.client
      .callTool({ name: 'fixture__throw', arguments: { message: 'kaput' } })
      .catch((e: unknown) => e);
    expect((thrown as ProtocolError).code).toBe(-32603);
    expect((thrown as ProtocolError).message).toBe('kaput');
  });

  it('survives a server that writes garbage to stdout', async () => {
    expect(textOf(await gateway.client.callTool({ name: 'fixture__garbage', arguments: {} }))).toBe(
      'wrote garbage',
    );
    expect(
      textOf(await gateway.client.callTool({ name: 'fixture__echo', arguments: { text: 'after' } })),
    ).toBe('Echo: after');
  });

  it('reports a crash mid-call with the exit code, restarts the server, and the next call succeeds', async () => {
    const pidBefore = textOf(await gateway.client.callTool({ name: 'fixture__pid', arguments: {} }));
    const crashed = await gateway.client.callTool({ name: 'fixture__crash', arguments: { code: 7 } });
    expect(crashed.isError).toBe(true);
    expect(textOf(crashed)).toMatch(
      /Server "fixture" exited with code 7.*during tools\/call fixture__crash; pml restarts it/,
    );
    const after = await gateway.client.callTool({ name: 'fixture__pid', arguments: {} });
    expect(after.isError).toBeFalsy();
    expect(textOf(after)).not.toBe(pidBefore);
    const status = await gateway.client.callTool({ name: 'gateway_status', arguments: {} });
    const fixture = (
      status.structuredContent as { servers: { id: string; restarts: number; state: string }[] }
    ).servers.find((s) => s.id === 'fixture');
    expect(fixture).toMatchObject({ state: 'ready' });
    expect(fixture!.restarts).toBeGreaterThanOrEqual(1);
  });

  it('refreshes the tool list when a server says it changed, and tells the client', async () => {
    const changesBefore = toolListChanges;
    await gateway.client.callTool({ name: 'fixture__add_tool', arguments: { name: 'brand_new' } });
    await waitFor(() => toolListChanges > changesBefore);
    const { tools } = await gateway.client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('fixture__brand_new');
  });
});

describe('the rest of MCP over stdio', () => {
  it('aggregates resources and reads one from its server', async () => {
    const { resources } = await gateway.client.listResources();
    expect(resources.length).toBeGreaterThan(0);
    const first = resources[0]!;
    const read = await gateway.client.readResource({ uri: first.uri });
    expect(read.contents[0]?.uri).toBe(first.uri);
  });

  it('routes a resource template URI to the server that owns the template', async () => {
    const { resourceTemplates } = await gateway.client.listResourceTemplates();
    expect(resourceTemplates.map((template) => template.uriTemplate)).toContain(
      'demo://resource/dynamic/text/{resourceId}',
    );
    const read = await gateway.client.readResource({ uri: 'demo://resource/dynamic/text/42' });
    expect(read.contents[0]?.uri).toBe('demo://resource/dynamic/text/42');
  });

  it('lists prompts under prefixed names and gets one', async () => {
    const { prompts } = await gateway.client.listPrompts();
    expect(prompts.map((prompt) => prompt.name)).toContain('everything__simple-prompt');
    const prompt = await gateway.client.getPrompt({ name: 'everything__simple-prompt' });
    expect(prompt.messages.length).toBeGreaterThan(0);
  });

  it('forwards completion requests for a prompt argument', async () => {
    const completion = await gateway.client.complete({
      ref: { type: 'ref/prompt', name: 'everything__completable-prompt' },
      argument: { name: 'department', value: 'Eng' },
    });
    expect(completion.completion.values).toEqual(['Engineering']);
  });

  it('forwards logging/setLevel and relays log notifications tagged with the server', async () => {
    await gateway.client.setLoggingLevel('debug');
    await gateway.client.callTool({ name: 'everything__toggle-simulated-logging', arguments: {} });
    await waitFor(() => logMessages.length > 0, 15_000);
    expect(logMessages[0]).toMatchObject({ logger: expect.stringMatching(/^everything/) });
    await gateway.client.callTool({ name: 'everything__toggle-simulated-logging', arguments: {} });
  });

  it('forwards a sampling request from a server to the client and its answer back', async () => {
    const result = await gateway.client.callTool({
      name: 'everything__trigger-sampling-request',
      arguments: { prompt: 'a haiku', maxTokens: 10 },
    });
    expect(textOf(result)).toContain('sampled:');
    expect(textOf(result)).toContain('test-model');
  });

  it('forwards an elicitation request to the client', async () => {
    const result = await gateway.client.callTool({
      name: 'everything__trigger-elicitation-request',
      arguments: {},
    });
    expect(textOf(result)).toMatch(/decline/i);
  });

  it('answers a roots request from a server with the client roots', async () => {
    const result = await gateway.client.callTool({ name: 'everything__get-roots-list', arguments: {} });
    expect(textOf(result)).toContain('file:///tmp/test-root');
  });
});
