// Telemetry end to end: the built gateway with SENTRY_DSN pointed at a real envelope receiver on
// 127.0.0.1, real downstream servers and a failing fixture; assertions on the envelopes that arrive.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureServer, startStdioGateway, textOf, type StdioGateway } from '../helpers/gateway.js';
import { startSentryReceiver, type SentryReceiver } from '../helpers/sentry-receiver.js';

const SECRETS = [
  'alice@example.com',
  'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
  '4111 1111 1111 1111',
  'sk_live_51HxyzABCDEFGHIJKLMNOPQRST',
];

let receiver: SentryReceiver;
let gateway: StdioGateway;
const stdoutProblems: string[] = [];

beforeAll(async () => {
  receiver = await startSentryReceiver();
  gateway = await startStdioGateway(
    {
      mcpServers: {
        fixture: fixtureServer({ callTimeoutMs: 800 }),
        broken: { command: 'pml-no-such-command-xyz' },
        exits: fixtureServer({ env: { FIXTURE_MODE: 'exit-at-start' } }),
        silent: fixtureServer({ env: { FIXTURE_MODE: 'never-answer' }, connectTimeoutMs: 500 }),
      },
      gateway: { restart: { maxAttempts: 3, initialDelayMs: 100 } },
    },
    {
      env: {
        SENTRY_DSN: receiver.dsn,
        SENTRY_ENVIRONMENT: 'test',
        SENTRY_RELEASE: 'pml@test+abc',
        SENTRY_TRACES_SAMPLE_RATE: '1',
        PML_TRACES_SAMPLE_RATES: 'mcp.tools.list=1',
      },
      setup: (client) => {
        client.onerror = (error) => void stdoutProblems.push(error.message);
      },
    },
  );
});

afterAll(async () => {
  await gateway?.close();
  await receiver?.close();
});

type Transaction = {
  transaction?: string;
  contexts?: {
    trace?: {
      op?: string;
      trace_id?: string;
      span_id?: string;
      data?: Record<string, unknown>;
      status?: string;
    };
  };
  spans?: { op?: string; description?: string; data?: Record<string, unknown> }[];
  tags?: Record<string, string>;
  release?: string;
  environment?: string;
};
type SentryEvent = {
  exception?: {
    values?: {
      type?: string;
      value?: string;
      stacktrace?: { frames?: { filename?: string; in_app?: boolean }[] };
    }[];
  };
  tags?: Record<string, string>;
  contexts?: Record<string, Record<string, unknown>>;
  fingerprint?: string[];
  release?: string;
  breadcrumbs?: { category?: string }[];
};

const transactions = () => receiver.transactions() as Transaction[];
const events = () => receiver.events() as SentryEvent[];
// Sentry lists chained causes first; the thrown exception is the last value.
const mainException = (event: SentryEvent) => event.exception?.values?.at(-1);

describe('telemetry with a DSN', () => {
  it('sends one mcp.server transaction per tool call with an mcp.client child, tags and release', async () => {
    await gateway.client.callTool({ name: 'fixture__echo', arguments: { text: 'traced' } });
    const transaction = await receiver.waitFor(() =>
      transactions().find((t) => t.transaction === 'tools/call fixture__echo'),
    );
    expect(transaction.contexts?.trace).toMatchObject({ op: 'mcp.server' });
    expect(transaction.contexts?.trace?.data).toMatchObject({
      'mcp.method.name': 'tools/call',
      'mcp.tool.name': 'fixture__echo',
      'gen_ai.tool.name': 'fixture__echo',
      'pml.operation': 'mcp.tools.call',
      'network.transport': 'pipe',
    });
    expect(transaction.tags).toMatchObject({ tool: 'fixture__echo', server: 'fixture' });
    // Off by default: no arguments or results on the span.
    const keys = Object.keys(transaction.contexts?.trace?.data ?? {});
    expect(
      keys.filter((key) => key.startsWith('mcp.request.argument') || key.startsWith('mcp.tool.result')),
    ).toEqual([]);
    expect(transaction).toMatchObject({ release: 'pml@test+abc', environment: 'test' });
    const child = transaction.spans?.find((span) => span.op === 'mcp.client');
    expect(child).toMatchObject({
      description: 'tools/call echo',
      data: expect.objectContaining({ 'mcp.server.id': 'fixture' }),
    });
  });

  it('gives each request its own trace on stdio', async () => {
    await gateway.client.callTool({ name: 'fixture__echo', arguments: { text: 'one' } });
    await gateway.client.callTool({ name: 'fixture__echo', arguments: { text: 'two' } });
    const traced = await receiver.waitFor(() => {
      const found = transactions().filter((t) => t.transaction === 'tools/call fixture__echo');
      return found.length >= 3 ? found : undefined;
    });
    expect(new Set(traced.map((t) => t.contexts?.trace?.trace_id)).size).toBe(traced.length);
  });

  it('propagates the trace to the downstream server in _meta, continuing an inbound trace', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const result = await gateway.client.callTool({
      name: 'fixture__record_meta',
      arguments: {},
      _meta: { traceparent: `00-${traceId}-b7ad6b7169203331-01` },
    });
    const meta = JSON.parse(textOf(result)) as Record<string, string>;
    expect(meta['sentry-trace']).toMatch(new RegExp(`^${traceId}-[0-9a-f]{16}-1$`));
    expect(meta.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(meta.baggage).toMatch(/sentry-/);
  });

  it('marks isError results on the span without raising an issue', async () => {
    await gateway.client.callTool({ name: 'fixture__fail', arguments: { message: 'nope' } });
    const transaction = await receiver.waitFor(() =>
      transactions().find((t) => t.transaction === 'tools/call fixture__fail'),
    );
    expect(transaction.contexts?.trace?.data).toMatchObject({ 'error.type': 'tool_error' });
    expect(transaction.contexts?.trace?.status).toBe('internal_error');
    // Events arrive in order: once a later issue is in, an issue for the isError result would be too.
    await gateway.client.callTool({ name: 'marker-after-nope' }).catch(() => undefined);
    const events_ = await receiver.waitFor(() => {
      const all = events();
      return all.some((e) => mainException(e)?.value?.includes('marker-after-nope')) ? all : undefined;
    });
    expect(events_.filter((e) => mainException(e)?.value === 'nope')).toHaveLength(0);
  });

  it('captures one typed event per failure kind, with context and fingerprint', async () => {
    await gateway.client.callTool({ name: 'fixture__hang', arguments: {} });
    await gateway.client.callTool({ name: 'fixture__strict', arguments: { count: 'x' } });
    await gateway.client.callTool({ name: 'nope' }).catch(() => undefined);
    await gateway.client.callTool({ name: 'fixture__crash', arguments: { code: 9 } });
    const expected = ['TimeoutError', 'InvalidArgumentsError', 'ToolNotFoundError', 'MCPServerError'];
    const found = await receiver.waitFor(() => {
      const types = events().map((event) => mainException(event)?.type);
      return expected.every((type) => types.includes(type)) ? types : undefined;
    });
    expect(found).toEqual(expect.arrayContaining(expected));
    const exitsAtStart = await receiver.waitFor(() => events().find((e) => e.tags?.server === 'exits'));
    expect(exitsAtStart.contexts?.pml_error).toMatchObject({ reason: 'start_failed', exitCode: 3 });
    const neverAnswers = await receiver.waitFor(() => events().find((e) => e.tags?.server === 'silent'));
    expect(mainException(neverAnswers)?.type).toBe('TimeoutError');
    expect(neverAnswers.contexts?.pml_error).toMatchObject({ operation: 'connect', limitMs: 500 });
    const startFailure = events().find((e) => e.tags?.server === 'broken');
    expect(startFailure && mainException(startFailure)).toMatchObject({
      type: 'MCPServerError',
      value: expect.stringMatching(/was not found/),
    });
    expect(startFailure?.contexts?.pml_error).toMatchObject({
      code: 'MCP_SERVER_ERROR',
      reason: 'command_not_found',
      serverId: 'broken',
    });
    const crash = await receiver.waitFor(() =>
      events().find((e) => mainException(e)?.value?.includes('during tools/call fixture__crash')),
    );
    expect(crash?.fingerprint).toEqual(['MCPServerError', 'fixture', 'fixture__crash']);
    // The issue belongs to the trace of the request it happened in.
    const crashTransaction = await receiver.waitFor(() =>
      transactions().find((t) => t.transaction === 'tools/call fixture__crash'),
    );
    expect(crash?.contexts?.trace?.trace_id).toBe(crashTransaction.contexts?.trace?.trace_id);
    expect(crash?.contexts?.trace?.span_id).toBe(crashTransaction.contexts?.trace?.span_id);
    expect(crash?.contexts?.pml_error).toMatchObject({ exitCode: 9, transport: 'stdio' });
    const timeout = events().find(
      (e) => mainException(e)?.type === 'TimeoutError' && e.tags?.tool === 'fixture__hang',
    );
    expect(timeout?.contexts?.pml_error).toMatchObject({ limitMs: 800, operation: 'tools/call' });
    expect(crash?.breadcrumbs?.map((b) => b.category)).toEqual(
      expect.arrayContaining(['mcp.server.discovery', 'mcp.server.connect', 'mcp.tools.schema']),
    );
  });

  it('points error frames at the TypeScript sources, through source maps', async () => {
    const crash = await receiver.waitFor(() =>
      events().find((e) => mainException(e)?.value?.includes('fixture__crash')),
    );
    const ours = (mainException(crash)?.stacktrace?.frames ?? []).filter((frame) => frame.in_app);
    expect(ours.length).toBeGreaterThan(0);
    for (const frame of ours) expect(frame.filename).toMatch(/\/src\/.+\.ts$/);
  });

  it('lets none of the seeded secrets leave in any envelope', async () => {
    for (const secret of SECRETS) {
      await gateway.client.callTool({ name: 'fixture__fail', arguments: { message: `contact ${secret}` } });
      await gateway.client.callTool({ name: `unknown ${secret}` }).catch(() => undefined);
    }
    await receiver.waitFor(
      () =>
        events().filter((e) => mainException(e)?.type === 'ToolNotFoundError').length >= SECRETS.length + 1,
    );
    const everything = receiver.rawText();
    for (const secret of SECRETS) expect(everything).not.toContain(secret);
    expect(everything).toContain('[Filtered:');
  });

  it('keeps stdout protocol-only with telemetry on', () => {
    // The client parses every stdout line as JSON-RPC; anything else would be one of these errors.
    expect(gateway.stderr()).toMatch(/telemetry on/);
    expect(transactions().length).toBeGreaterThan(5);
    expect(stdoutProblems).toEqual([]);
  });
});
