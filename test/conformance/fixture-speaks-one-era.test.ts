// What the conformance suite does not check but a gateway in front of the fixture relies on: each
// fixture speaks exactly one era over both transports (an SDK client's era probe finds it, a client
// of the other era is refused), and each asks for input its own era's way. The legacy fixture
// pushes its requests to the client mid-call, even for the input-required-result tools; the modern
// one returns input_required, even for test_sampling and test_elicitation. A gateway can then be
// tested bridging both ways.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, StreamableHTTPClientTransport, type ClientOptions } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import {
  conformanceFixtureCommand,
  startConformanceFixture,
  type ConformanceFixture,
  type Era,
} from '../helpers/conformance-suite.js';

type Transport = 'http' | 'stdio';
const fixtures: Partial<Record<Era, ConformanceFixture>> = {};
const clients: Client[] = [];

beforeAll(async () => {
  [fixtures.legacy, fixtures.modern] = await Promise.all([
    startConformanceFixture({ era: 'legacy', transport: 'http' }),
    startConformanceFixture({ era: 'modern', transport: 'http' }),
  ]);
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close().catch(() => {})));
  await Promise.all(Object.values(fixtures).map((fixture) => fixture.close()));
});

/** Connects an SDK client that answers every kind of request the fixture can ask. */
async function connect(era: Era, transport: Transport, mode?: ClientOptions['versionNegotiation']) {
  const asked: string[] = [];
  const client = new Client(
    { name: 'pml-conformance-test', version: '1.0.0' },
    { capabilities: { elicitation: {}, sampling: {}, roots: {} }, versionNegotiation: mode },
  );
  client.setRequestHandler('elicitation/create', async ({ params }) => {
    asked.push(`elicitation: ${params.message}`);
    return {
      action: 'accept',
      content: { name: 'Alice', color: 'blue', username: 'alice', email: 'alice@example.com' },
    };
  });
  client.setRequestHandler('sampling/createMessage', async () => {
    asked.push('sampling');
    return {
      role: 'assistant',
      content: { type: 'text', text: 'Hello there!' },
      model: 'test',
      stopReason: 'endTurn',
    };
  });
  client.setRequestHandler('roots/list', async () => {
    asked.push('roots');
    return { roots: [{ uri: 'file:///work', name: 'work' }] };
  });
  clients.push(client);
  const { command, args } = conformanceFixtureCommand(era);
  await client.connect(
    transport === 'http'
      ? new StreamableHTTPClientTransport(new URL(fixtures[era]!.url))
      : new StdioClientTransport({ command, args, stderr: 'pipe' }),
  );
  return { client, asked };
}

const textOf = (result: unknown) =>
  ((result as { content?: { text?: string }[] }).content ?? []).map((item) => item.text).join('\n');

describe.each<Transport>(['http', 'stdio'])('over %s', (transport) => {
  it('the legacy fixture is found legacy by an era probe and refuses a 2026-07-28 client', async () => {
    const { client } = await connect('legacy', transport, { mode: 'auto' });
    expect(client.getProtocolEra()).toBe('legacy');
    expect(client.getNegotiatedProtocolVersion()).toBe('2025-11-25');
    await expect(connect('legacy', transport, { mode: { pin: '2026-07-28' } })).rejects.toThrow(
      /did not offer pinned protocol version 2026-07-28/,
    );
  });

  it('the modern fixture is found modern by an era probe and refuses a 2025-11-25 client', async () => {
    const { client } = await connect('modern', transport, { mode: 'auto' });
    expect(client.getProtocolEra()).toBe('modern');
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    await expect(connect('modern', transport)).rejects.toThrow(/Unsupported protocol version: 2025-11-25/);
  });

  it('both eras serve the same tools, resources and prompts', async () => {
    const catalogs = await Promise.all(
      (['legacy', 'modern'] as const).map(async (era) => {
        const { client } = await connect(era, transport, { mode: 'auto' });
        const [tools, resources, templates, prompts] = await Promise.all([
          client.listTools(),
          client.listResources(),
          client.listResourceTemplates(),
          client.listPrompts(),
        ]);
        return {
          tools: tools.tools.map((tool) => tool.name).sort(),
          resources: resources.resources.map((resource) => resource.uri).sort(),
          templates: templates.resourceTemplates.map((template) => template.uriTemplate),
          prompts: prompts.prompts.map((prompt) => prompt.name).sort(),
        };
      }),
    );
    expect(catalogs[0]).toEqual(catalogs[1]);
    expect(catalogs[0]!.tools).toContain('test_input_required_result_multi_round');
  });
});

describe('asking the client for input', () => {
  it('the legacy fixture pushes requests during the call, input-required-result tools included', async () => {
    const { client, asked } = await connect('legacy', 'http');
    const result = await client.callTool({
      name: 'test_input_required_result_multiple_inputs',
      arguments: {},
    });
    expect(textOf(result)).toBe('Hello there! Alice: 1 root(s): file:///work');
    expect(asked.sort()).toEqual(['elicitation: What is your name?', 'roots', 'sampling']);

    const rounds = await client.callTool({ name: 'test_input_required_result_multi_round', arguments: {} });
    expect(textOf(rounds)).toBe('Multi-round complete: Alice likes blue');
  });

  it('the modern fixture returns input_required, test_sampling and test_elicitation included', async () => {
    // A modern connection has no channel for pushed requests (the SDK client drops them), so an
    // answer here can only have come through input_required and the client's retry.
    const { client, asked } = await connect('modern', 'http', { mode: 'auto' });
    const sampled = await client.callTool({ name: 'test_sampling', arguments: { prompt: 'Say hello' } });
    expect(textOf(sampled)).toBe('LLM response: Hello there!');
    const elicited = await client.callTool({
      name: 'test_elicitation',
      arguments: { message: 'Who are you?' },
    });
    expect(textOf(elicited)).toMatch(/^User response: action=accept, content=.*"username":"alice"/);
    expect(asked).toEqual(['sampling', 'elicitation: Who are you?']);
  });

  it('the modern fixture answers a raw tools/call with resultType input_required', async () => {
    const response = await fetch(fixtures.modern!.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': 'test_elicitation_sep1034_defaults',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name: 'test_elicitation_sep1034_defaults',
          arguments: {},
          _meta: {
            'io.modelcontextprotocol/protocolVersion': '2026-07-28',
            'io.modelcontextprotocol/clientCapabilities': { elicitation: {} },
          },
        },
      }),
    });
    const body = (await response.json()) as { result: { resultType: string; inputRequests: object } };
    expect(body.result.resultType).toBe('input_required');
    expect(Object.values(body.result.inputRequests)).toMatchObject([{ method: 'elicitation/create' }]);
  });
});
