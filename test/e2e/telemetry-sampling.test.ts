// Sampling: per-operation overrides from PML_TRACES_SAMPLE_RATES, and an inbound parent decision
// (sentry-trace or traceparent in _meta) wins over the local rate. Errors are always sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureServer, startStdioGateway, textOf, type StdioGateway } from '../helpers/gateway.js';
import { startSentryReceiver, type SentryReceiver } from '../helpers/sentry-receiver.js';

let receiver: SentryReceiver;
let gateway: StdioGateway;

beforeAll(async () => {
  receiver = await startSentryReceiver();
  gateway = await startStdioGateway(
    { mcpServers: { fixture: fixtureServer() } },
    {
      env: {
        SENTRY_DSN: receiver.dsn,
        SENTRY_TRACES_SAMPLE_RATE: '1',
        PML_TRACES_SAMPLE_RATES: 'mcp.tools.list=0,mcp.gateway_status=0',
      },
    },
  );
});
afterAll(async () => {
  await gateway?.close();
  await receiver?.close();
});

const names = () => receiver.transactions().map((transaction) => transaction.transaction);
const traceIdOf = (transaction: Record<string, unknown>) =>
  (transaction.contexts as { trace?: { trace_id?: string } } | undefined)?.trace?.trace_id;

describe('trace sampling', () => {
  it('applies a per-operation rate over the global one', async () => {
    for (let index = 0; index < 3; index++) {
      await gateway.client.listTools();
      await gateway.client.callTool({ name: 'fixture__echo', arguments: { text: 'x' } });
    }
    await receiver.waitFor(
      () => names().filter((name) => name === 'tools/call fixture__echo').length >= 3 || undefined,
    );
    expect(names()).not.toContain('tools/list');
  });

  it('drops a request whose inbound parent was not sampled', async () => {
    const traceId = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    const echoes = () => names().filter((name) => name === 'tools/call fixture__echo').length;
    const echoesBefore = echoes();
    await gateway.client.callTool({
      name: 'fixture__echo',
      arguments: { text: 'y' },
      _meta: { 'sentry-trace': `${traceId}-bbbbbbbbbbbbbbbb-0` },
    });
    // A sampled request after it: once its transaction is in, the unsampled one would be too.
    await gateway.client.callTool({ name: 'fixture__echo', arguments: { text: 'marker' } });
    await receiver.waitFor(() => echoes() >= echoesBefore + 1 || undefined);
    expect(echoes()).toBe(echoesBefore + 1);
    expect(receiver.transactions().map(traceIdOf)).not.toContain(traceId);
  });

  it('keeps a request whose inbound parent was sampled, even at a local rate of 0', async () => {
    const traceId = 'cccccccccccccccccccccccccccccccc';
    await gateway.client.listTools({ _meta: { traceparent: `00-${traceId}-dddddddddddddddd-01` } });
    const kept = await receiver.waitFor(() =>
      receiver.transactions().find((transaction) => traceIdOf(transaction) === traceId),
    );
    expect(kept.transaction).toBe('tools/list');
  });

  it('sends errors at 100% whatever the trace rate', async () => {
    await gateway.client.callTool({ name: 'gateway_status', arguments: {} });
    await gateway.client.callTool({ name: 'fixture__missing_tool' }).catch(() => undefined);
    const event = await receiver.waitFor(() =>
      receiver.events().find((e) => JSON.stringify(e.exception).includes('fixture__missing_tool')),
    );
    expect(JSON.stringify(event.exception)).toContain('ToolNotFoundError');
  });
});

describe('an unsampled request', () => {
  let unsampled: StdioGateway;
  beforeAll(async () => {
    unsampled = await startStdioGateway(
      { mcpServers: { fixture: fixtureServer() } },
      { env: { SENTRY_DSN: receiver.dsn, SENTRY_TRACES_SAMPLE_RATE: '0' } },
    );
  });
  afterAll(async () => {
    await unsampled?.close();
  });

  it('still gets its own trace, propagated downstream as not sampled', async () => {
    const first = JSON.parse(
      textOf(await unsampled.client.callTool({ name: 'fixture__record_meta', arguments: {} })),
    );
    const second = JSON.parse(
      textOf(await unsampled.client.callTool({ name: 'fixture__record_meta', arguments: {} })),
    );
    expect(first['sentry-trace']).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}-0$/);
    expect(first.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
    expect(first.baggage).not.toContain('sentry-sampled=true');
    expect(first['sentry-trace'].slice(0, 32)).not.toBe(second['sentry-trace'].slice(0, 32));
  });

  it('still reports its errors, tagged with the tool', async () => {
    await unsampled.client.callTool({ name: 'fixture__strict', arguments: { count: 'no' } });
    const event = await receiver.waitFor(() =>
      receiver
        .events()
        .find((e) => JSON.stringify(e.exception).includes('Invalid arguments for fixture__strict')),
    );
    expect(event.tags).toMatchObject({ tool: 'fixture__strict', server: 'fixture' });
  });
});
