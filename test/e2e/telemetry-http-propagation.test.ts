// Trace propagation to a Streamable HTTP downstream server: the trace rides both in `params._meta`
// and as HTTP headers (sentry-trace, baggage, traceparent).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStdioGateway, textOf, type StdioGateway } from '../helpers/gateway.js';
import { startRecordingHttpServer, type RecordingHttpServer } from '../helpers/http-mcp-server.js';
import { startSentryReceiver, type SentryReceiver } from '../helpers/sentry-receiver.js';

let receiver: SentryReceiver;
let downstream: RecordingHttpServer;
let gateway: StdioGateway;

beforeAll(async () => {
  receiver = await startSentryReceiver();
  downstream = await startRecordingHttpServer();
  gateway = await startStdioGateway(
    { mcpServers: { remote: { url: downstream.url } } },
    { env: { SENTRY_DSN: receiver.dsn, SENTRY_TRACES_SAMPLE_RATE: '1' } },
  );
});
afterAll(async () => {
  await gateway?.close();
  await downstream?.close();
  await receiver?.close();
});

describe('propagation to an HTTP server', () => {
  it('sends the trace as headers and in _meta, continuing the inbound trace', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const result = await gateway.client.callTool({
      name: 'remote__echo',
      arguments: { text: 'over http' },
      _meta: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(textOf(result)).toBe('Echo: over http');
    const call = downstream.requests.find((request) => request.method === 'tools/call');
    expect(call?.headers['sentry-trace']).toMatch(new RegExp(`^${traceId}-[0-9a-f]{16}-1$`));
    expect(call?.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(call?.headers.baggage).toMatch(/sentry-/);
    const meta = (call?.body as { params: { _meta: Record<string, string> } }).params._meta;
    // Same trace; the header names the SDK's http.client span, a child of pml's mcp.client span.
    expect(meta['sentry-trace']).toMatch(new RegExp(`^${traceId}-[0-9a-f]{16}-1$`));
  });
});
