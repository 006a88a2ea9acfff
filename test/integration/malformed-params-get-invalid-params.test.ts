// Malformed params are the caller's mistake: resources/read, prompts/get, completion/complete and
// logging/setLevel answer -32602 with one readable sentence (not -32603 with a zod dump), and the
// gateway goes on serving.
import { EmptyResultSchema } from '@modelcontextprotocol/core';
import { McpServer, ProtocolError } from '@modelcontextprotocol/server';
import type { Client } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { textOf } from '../helpers/gateway.js';
import { startInProcessGateway, type InProcessGateway } from '../helpers/in-process.js';

let harness: InProcessGateway | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function createServer(): McpServer {
  const server = new McpServer(
    { name: 'everything-small', version: '1.0.0' },
    { capabilities: { logging: {} } },
  );
  server.registerTool('echo', { inputSchema: z.object({ text: z.string() }) }, ({ text }) => ({
    content: [{ type: 'text', text: `echo: ${text}` }],
  }));
  server.registerResource('notes', 'mem://notes', {}, (uri) => ({
    contents: [{ uri: uri.href, text: 'hello' }],
  }));
  server.registerPrompt('greet', { argsSchema: z.object({ name: z.string() }) }, ({ name }) => ({
    messages: [{ role: 'user', content: { type: 'text', text: `Hello ${name}` } }],
  }));
  return server;
}

async function start(): Promise<Client> {
  harness = await startInProcessGateway({ servers: { a: createServer } });
  return harness.connectClient();
}

async function toRequestError(client: Client, method: string, params: unknown): Promise<ProtocolError> {
  const error = await client.request({ method, params } as never, EmptyResultSchema).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(ProtocolError);
  return error as ProtocolError;
}

const CASES = [
  {
    method: 'resources/read',
    params: {},
    sentence: 'Invalid resources/read request: params.uri is required (a string).',
  },
  {
    method: 'prompts/get',
    params: { name: 42 },
    sentence: 'Invalid prompts/get request: params.name must be a string, not a number.',
  },
  {
    method: 'completion/complete',
    params: { ref: { type: 'ref/tool', name: 'x' }, argument: { name: 'n', value: 'v' } },
    sentence:
      'Invalid completion/complete request: params.ref.type must be one of "ref/prompt", "ref/resource".',
  },
  {
    method: 'logging/setLevel',
    params: { level: 'loud' },
    sentence:
      'Invalid logging/setLevel request: params.level must be one of debug, info, notice, warning, error, critical, alert, emergency, not "loud".',
  },
];

describe('malformed params', () => {
  it.each(CASES)(
    'answers a malformed $method with -32602 and one sentence',
    async ({ method, params, sentence }) => {
      const client = await start();

      const error = await toRequestError(client, method, params);

      expect(error.code).toBe(-32602);
      // The client's SDK prefixes the code once; what the gateway sent is the sentence itself.
      expect(error.message).toBe(sentence);
    },
  );

  it('goes on serving after malformed requests', async () => {
    const client = await start();
    for (const { method, params } of CASES) await toRequestError(client, method, params);

    const echoed = await client.callTool({ name: 'a__echo', arguments: { text: 'still here' } });
    const read = await client.readResource({ uri: 'mem://notes' });
    const prompt = await client.getPrompt({ name: 'a__greet', arguments: { name: 'Ada' } });
    const level = await client.setLoggingLevel('debug');

    expect(textOf(echoed)).toBe('echo: still here');
    expect(read.contents).toEqual([{ uri: 'mem://notes', text: 'hello' }]);
    expect(prompt.messages[0]?.content).toEqual({ type: 'text', text: 'Hello Ada' });
    expect(level).toEqual({});
  });
});
