// Opt-in recording: with telemetry.recordInputs/recordOutputs the tool's arguments and result ride on
// the span, scrubbed; with telemetry.captureToolErrors an isError result becomes an issue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureServer, startStdioGateway, type StdioGateway } from '../helpers/gateway.js';
import { startSentryReceiver, type SentryReceiver } from '../helpers/sentry-receiver.js';

let receiver: SentryReceiver;
let gateway: StdioGateway;

beforeAll(async () => {
  receiver = await startSentryReceiver();
  gateway = await startStdioGateway(
    {
      mcpServers: { fixture: fixtureServer() },
      telemetry: { recordInputs: true, recordOutputs: true, captureToolErrors: true },
    },
    { env: { SENTRY_DSN: receiver.dsn, SENTRY_TRACES_SAMPLE_RATE: '1' } },
  );
});
afterAll(async () => {
  await gateway?.close();
  await receiver?.close();
});

const spanDataOf = (name: string) =>
  receiver.transactions().find((t) => t.transaction === name) as
    { contexts: { trace: { data: Record<string, unknown> } } } | undefined;

describe('opt-in recording of tool data', () => {
  it('records arguments and results on the span, scrubbed', async () => {
    await gateway.client.callTool({ name: 'fixture__echo', arguments: { text: 'mail bob@example.org now' } });
    const transaction = await receiver.waitFor(() => spanDataOf('tools/call fixture__echo'));
    const data = transaction.contexts.trace.data;
    expect(data['mcp.request.argument.text']).toBe('mail [Filtered:email] now');
    expect(data['mcp.tool.result.content']).toContain('Echo: mail [Filtered:email] now');
    expect(data['mcp.tool.result.content_count']).toBe(1);
    expect(receiver.rawText()).not.toContain('bob@example.org');
  });

  it('raises an isError result as a ToolExecutionError issue', async () => {
    await gateway.client.callTool({ name: 'fixture__fail', arguments: { message: 'quota exceeded' } });
    const event = await receiver.waitFor(() =>
      receiver.events().find((e) => JSON.stringify(e.exception).includes('quota exceeded')),
    );
    expect(JSON.stringify(event.exception)).toContain('ToolExecutionError');
    expect(event.tags).toMatchObject({ tool: 'fixture__fail', server: 'fixture' });
  });
});
