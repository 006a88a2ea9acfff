// The built CLI over stdio in front of downstream servers of both MCP eras: our conformance fixture
// as a 2025-11-25 and as a 2026-07-28 stdio server, the 2026-07-28 fixture over Streamable HTTP, and
// two 2025 stdio servers that do not answer the server/discover probe: one exits on it (as
// rmcp-based servers do), one ignores it. A 2025 SDK client in front calls each, and answers the
// modern servers' questions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  conformanceFixtureCommand,
  startConformanceFixture,
  type ConformanceFixture,
} from '../helpers/conformance-suite.js';
import { fixtureServer, startStdioGateway, textOf, waitFor, type StdioGateway } from '../helpers/gateway.js';

let remote: ConformanceFixture;
let gateway: StdioGateway;
const elicited: string[] = [];
/** Progress as it arrives on the client's wire: the SDK client forgets a call's progress handler
 * when the result is read, and so drops progress that came in the same chunk as the result. */
const progressOnTheWire: number[] = [];

beforeAll(async () => {
  remote = await startConformanceFixture({ era: 'modern', transport: 'http' });
  gateway = await startStdioGateway(
    {
      mcpServers: {
        legacy: conformanceFixtureCommand('legacy'),
        modern: conformanceFixtureCommand('modern'),
        remote: { url: remote.url },
        strict: fixtureServer({ env: { FIXTURE_MODE: 'exit-before-initialize' } }),
        // Its probe goes unanswered: on stdio that means a legacy server, after the probe's timeout.
        quiet: fixtureServer({ env: { FIXTURE_MODE: 'ignore-before-initialize' }, connectTimeoutMs: 500 }),
      },
    },
    {
      clientOptions: { capabilities: { elicitation: {}, sampling: {} } },
      setup: (client) => {
        client.setRequestHandler('elicitation/create', (request) => {
          elicited.push(request.params.message);
          return { action: 'accept', content: { username: 'ada', email: 'ada@example.com' } };
        });
        client.setRequestHandler('sampling/createMessage', () => ({
          role: 'assistant',
          model: 'test-model',
          content: { type: 'text', text: 'a sampled answer' },
        }));
      },
    },
  );
  const deliver = gateway.transport.onmessage;
  gateway.transport.onmessage = (message) => {
    if ('method' in message && message.method === 'notifications/progress')
      progressOnTheWire.push((message.params as { progress: number }).progress);
    deliver?.(message);
  };
});

afterAll(async () => {
  await gateway?.close();
  await remote?.close();
});

type Status = { id: string; state: string; era?: string; protocolVersion?: string; negotiatedAt?: string };

async function readStatuses(): Promise<Record<string, Status>> {
  const result = await gateway.client.callTool({ name: 'gateway_status', arguments: {} });
  const { servers } = result.structuredContent as { servers: Status[] };
  return Object.fromEntries(servers.map((server) => [server.id, server]));
}

const SIMPLE_TEXT = 'This is a simple text response for testing.';

describe('downstream servers of both eras behind the CLI', () => {
  it('speaks to each server in its own era and shows it in gateway_status', async () => {
    const statuses = await waitFor(async () => {
      const all = await readStatuses();
      return Object.values(all).every((server) => server.state === 'ready') ? all : undefined;
    });

    expect(statuses.legacy).toMatchObject({ era: 'legacy', protocolVersion: '2025-11-25' });
    expect(statuses.modern).toMatchObject({ era: 'modern', protocolVersion: '2026-07-28' });
    expect(statuses.remote).toMatchObject({ era: 'modern', protocolVersion: '2026-07-28' });
    expect(statuses.strict).toMatchObject({ era: 'legacy', protocolVersion: '2025-11-25' });
    expect(statuses.quiet).toMatchObject({ era: 'legacy', protocolVersion: '2025-11-25' });
    for (const server of Object.values(statuses)) expect(Date.parse(server.negotiatedAt!)).not.toBeNaN();
  });

  it.each(['legacy', 'modern', 'remote'])('calls test_simple_text on the %s server', async (serverId) => {
    const result = await gateway.client.callTool({ name: `${serverId}__test_simple_text`, arguments: {} });

    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe(SIMPLE_TEXT);
  });

  it('calls a server that exits on a request before initialize, after starting it again without the probe', async () => {
    const result = await gateway.client.callTool({ name: 'strict__echo', arguments: { text: 'still here' } });

    expect(textOf(result)).toBe('Echo: still here');
  });

  it("asks the client for the modern server's elicitation and completes the call with the answer", async () => {
    const result = await gateway.client.callTool({
      name: 'modern__test_elicitation',
      arguments: { message: 'Who are you?' },
    });

    expect(textOf(result)).toBe(
      'User response: action=accept, content={"username":"ada","email":"ada@example.com"}',
    );
    expect(elicited).toContain('Who are you?');
  });

  it("asks the client for the modern HTTP server's sampling and completes the call with the answer", async () => {
    const result = await gateway.client.callTool({
      name: 'remote__test_sampling',
      arguments: { prompt: 'Say something.' },
    });

    expect(textOf(result)).toBe('LLM response: a sampled answer');
  });

  it('mirrors an x-mcp-header argument into its Mcp-Param header for the modern HTTP server', async () => {
    const result = await gateway.client.callTool({
      name: 'remote__test_x_mcp_header',
      arguments: { region: 'eu-west', level: 2 },
    });

    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe('region=eu-west');
  });

  it.each(['modern', 'remote'])("passes the %s server's progress to the caller", async (serverId) => {
    progressOnTheWire.length = 0;

    const result = await gateway.client.callTool(
      { name: `${serverId}__test_tool_with_progress`, arguments: {} },
      { onprogress: () => {} },
    );

    expect(textOf(result)).toMatch(/^Progress reported for token /);
    expect(progressOnTheWire).toEqual([0, 50, 100]);
  });

  // The fixture announces a change without changing its list, so the client hears nothing new:
  // what shows pml heard is that it listed the server's tools again (its debug log says so).
  it.each(['modern', 'remote'])(
    "hears of the %s server's tool list changes on the stream pml subscribed to",
    async (serverId) => {
      const listings = () => gateway.stderr().split(`tools listed server=${serverId} `).length - 1;
      const before = listings();

      await gateway.client.callTool({ name: `${serverId}__test_trigger_tool_change`, arguments: {} });

      await waitFor(() => listings() > before);
    },
  );
});
