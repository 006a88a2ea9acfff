// execute_code through the built gateway over stdio, with the real Deno runner, our fixture server
// and telemetry pointed at a real envelope receiver: the span tree (sandbox.execute with each tool
// call's mcp.client under it), the cache_hit tag, and SandboxExecutionError / TimeoutError events
// with the limits, the context's keys and a scrubbed preview of the code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureServer, startStdioGateway, type StdioGateway } from '../helpers/gateway.js';
import { startSentryReceiver, type SentryReceiver } from '../helpers/sentry-receiver.js';
import { lastException, type ReceivedEvent, type ReceivedTransaction } from '../helpers/sentry-shapes.js';

let receiver: SentryReceiver;
let gateway: StdioGateway;

beforeAll(async () => {
  receiver = await startSentryReceiver();
  gateway = await startStdioGateway(
    {
      mcpServers: { fixture: fixtureServer() },
      sandbox: { approval: 'never', poolSize: 1 },
      storage: { enabled: false },
    },
    { env: { SENTRY_DSN: receiver.dsn, SENTRY_TRACES_SAMPLE_RATE: '1', SENTRY_ENVIRONMENT: 'test' } },
  );
});

afterAll(async () => {
  await gateway?.close();
  await receiver?.close();
});

describe('execute_code over stdio', () => {
  it('runs code whose tool calls nest under a sandbox.execute span', async () => {
    const answer = await gateway.client.callTool({
      name: 'execute_code',
      arguments: {
        code: `const a = await tools.fixture.echo({ text: 'one' }); const b = await tools.call('fixture__echo', { text: 'two' }); [a, b]`,
      },
    });
    expect((answer.structuredContent as { value: unknown }).value).toEqual(['Echo: one', 'Echo: two']);

    const transaction = await receiver.waitFor(() =>
      (receiver.transactions() as ReceivedTransaction[]).find(
        (t) => t.transaction === 'tools/call execute_code',
      ),
    );
    expect(transaction.contexts?.trace?.data).toMatchObject({
      'pml.operation': 'mcp.execute_code',
      code_length: expect.any(Number),
    });
    expect(transaction.tags).toMatchObject({ cache_hit: 'false' });
    const spans = transaction.spans ?? [];
    const sandbox = spans.find((span) => span.op === 'sandbox.execute')!;
    expect(sandbox.parent_span_id).toBe(transaction.contexts?.trace?.span_id);
    expect(sandbox.data).toMatchObject({ timeout_ms: 30_000, memory_limit_mb: 128 });
    const calls = spans.filter((span) => span.op === 'mcp.client');
    expect(calls.map((span) => [span.description, span.parent_span_id])).toEqual([
      ['tools/call echo', sandbox.span_id],
      ['tools/call echo', sandbox.span_id],
    ]);
  });

  it('reports code that throws as a SandboxExecutionError with the limits, context keys and a scrubbed preview', async () => {
    const answer = await gateway.client.callTool({
      name: 'execute_code',
      arguments: {
        code: `const owner = 'bob@example.com'; throw new Error('no luck for ' + region)`,
        context: { region: 'eu-west' },
      },
    });
    expect(answer.isError).toBe(true);
    expect((answer.content as { text: string }[])[0]!.text).toContain('no luck for eu-west');

    const event = await receiver.waitFor(() =>
      (receiver.events() as ReceivedEvent[]).find((e) => lastException(e)?.type === 'SandboxExecutionError'),
    );
    expect(event.contexts?.pml_error).toMatchObject({
      code: 'SANDBOX_EXECUTION_FAILED',
      reason: 'thrown',
      timeoutMs: 30_000,
      memoryLimitMb: 128,
      contextKeys: ['region'],
      codePreview: expect.stringContaining('[Filtered'),
    });
    expect(receiver.rawText()).not.toContain('bob@example.com');
  });

  it('reports a run past its timeout as a TimeoutError with the limit, and keeps serving', async () => {
    const answer = await gateway.client.callTool({
      name: 'execute_code',
      arguments: { code: 'while (true) {}', timeout_ms: 300 },
    });
    expect(answer.isError).toBe(true);

    const event = await receiver.waitFor(() =>
      (receiver.events() as ReceivedEvent[]).find(
        (e) =>
          lastException(e)?.type === 'TimeoutError' && e.contexts?.pml_error?.operation === 'execute_code',
      ),
    );
    expect(event.contexts?.pml_error).toMatchObject({
      limitMs: 300,
      timeoutMs: 300,
      codePreview: 'while (true) {}',
    });
    const after = await gateway.client.callTool({
      name: 'execute_code',
      arguments: { code: 'return 6 * 7' },
    });
    expect((after.structuredContent as { value: unknown }).value).toBe(42);
  });
});
