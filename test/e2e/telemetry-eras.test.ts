// Telemetry for both protocol eras: the built gateway over Streamable HTTP with SENTRY_DSN pointed at
// a real envelope receiver; a 2025-11-25 client and a 2026-07-28 client call the same tool. Each
// root span carries Sentry's MCP attributes and the request's revision; the modern one is correlated
// by its request id (it has no session); a JSON-RPC error answer carries its code; and a caller
// mistake (a capability the client did not declare) is not captured as a server error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { conformanceFixtureCommand } from '../helpers/conformance-suite.js';
import { startHttpGatewayProcess, textOf, type HttpGatewayProcess } from '../helpers/gateway.js';
import { startSentryReceiver, type SentryReceiver } from '../helpers/sentry-receiver.js';

type Transaction = { transaction?: string; contexts?: { trace?: { data?: Record<string, unknown> } } };

let receiver: SentryReceiver;
let gateway: HttpGatewayProcess;

beforeAll(async () => {
  receiver = await startSentryReceiver();
  gateway = await startHttpGatewayProcess(
    {
      mcpServers: { legacy: { ...conformanceFixtureCommand('legacy'), toolPrefix: 'never' } },
      storage: { enabled: false },
    },
    [],
    { SENTRY_DSN: receiver.dsn, SENTRY_TRACES_SAMPLE_RATE: '1' },
  );
});
afterAll(async () => {
  await gateway?.stop();
  await receiver?.close();
});

async function connect(era: 'legacy' | 'modern'): Promise<Client> {
  const client = new Client(
    { name: `telemetry-${era}`, version: '1.0.0' },
    era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
  return client;
}

const toolCallSpans = () =>
  (receiver.transactions() as Transaction[])
    .filter((t) => t.transaction === 'tools/call test_simple_text')
    .map((t) => t.contexts?.trace?.data ?? {});

describe('telemetry of both eras', () => {
  it('names the revision on each root span, and correlates a 2026-07-28 call by its request id', async () => {
    const legacy = await connect('legacy');
    const modern = await connect('modern');
    expect(textOf(await legacy.callTool({ name: 'test_simple_text', arguments: {} }))).toContain('simple');
    expect(textOf(await modern.callTool({ name: 'test_simple_text', arguments: {} }))).toContain('simple');

    const spans = await receiver.waitFor(() => {
      const found = toolCallSpans();
      return found.length >= 2 ? found : undefined;
    });
    const byVersion = Object.fromEntries(spans.map((data) => [String(data['mcp.protocol.version']), data]));
    for (const data of [byVersion['2025-11-25'], byVersion['2026-07-28']]) {
      expect(data).toMatchObject({
        'mcp.method.name': 'tools/call',
        'gen_ai.tool.name': 'test_simple_text',
        'gen_ai.operation.name': 'execute_tool',
        'jsonrpc.request.id': expect.any(String),
      });
    }
    expect(byVersion['2025-11-25']?.['mcp.session.id']).toEqual(expect.any(String));
    expect(byVersion['2026-07-28']?.['mcp.session.id']).toBeUndefined();
    await Promise.all([legacy.close(), modern.close()]);
  });

  it('puts the JSON-RPC code of an error answer on the span', async () => {
    const modern = await connect('modern');
    await expect(modern.getPrompt({ name: 'no_such_prompt' })).rejects.toThrow();
    const span = await receiver.waitFor(() =>
      (receiver.transactions() as Transaction[])
        .map((t) => t.contexts?.trace?.data ?? {})
        .find((data) => data['mcp.method.name'] === 'prompts/get' && data['rpc.response.status_code']),
    );
    expect(span).toMatchObject({ 'error.type': span['rpc.response.status_code'] });
    expect(Number(span['rpc.response.status_code'])).toBeLessThan(0);
    await modern.close();
  });

  it('does not capture a missing client capability as a server error', async () => {
    const modern = await connect('modern');
    await expect(modern.callTool({ name: 'test_missing_capability', arguments: {} })).rejects.toThrow(
      /capabilit/i,
    );
    // A call after it is traced: once its span is in, the refused call had its chance to report.
    await modern.callTool({ name: 'test_simple_text', arguments: {} });
    await receiver.waitFor(() => (toolCallSpans().length >= 3 ? true : undefined));
    const reported = (receiver.events() as { exception?: { values?: { value?: string }[] } }[]).filter(
      (event) => event.exception?.values?.some((value) => /capabilit/i.test(value.value ?? '')),
    );
    expect(reported).toEqual([]);
    await modern.close();
  });
});
