// A server's sampling request during a tools/call goes back to the client that made the call, even
// when the other connected client is the more recently active one; with no call, to the most recent.
import type { Server, CreateMessageRequest } from '@modelcontextprotocol/server';
import type { Client } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { textOf, waitFor } from '../helpers/gateway.js';
import {
  createDeferred,
  createToolServer,
  startInProcessGateway,
  textResult,
  type InProcessGateway,
} from '../helpers/in-process.js';

const QUESTION: CreateMessageRequest['params'] = {
  messages: [{ role: 'user', content: { type: 'text', text: 'who are you?' } }],
  maxTokens: 10,
};

let harness: InProcessGateway | undefined;
/** Runs inside the ask tool before it samples, so the test can act while the call is in flight. */
let beforeSampling: () => Promise<void> = async () => {};

afterEach(async () => {
  await harness?.close();
  harness = undefined;
  beforeSampling = async () => {};
});

async function sample(server: Server): Promise<string> {
  const answer = await server.createMessage(QUESTION);
  return answer.content.type === 'text' ? answer.content.text : `[${answer.content.type}]`;
}

/** The gateway in front of one server whose `ask` tool samples, answering a refusal as its text. */
async function startAskServer(): Promise<InProcessGateway> {
  harness = await startInProcessGateway({
    servers: {
      a: () =>
        createToolServer({
          ask: {
            handle: async (_args, _extra, server) => {
              await beforeSampling();
              try {
                return textResult(await sample(server));
              } catch (error) {
                const { code, message } = error as { code: number; message: string };
                return textResult(`${code} ${message}`);
              }
            },
          },
        }),
    },
  });
  return harness;
}

/** Two clients that both sample, each answering with its own name. */
async function startWithTwoSamplers(): Promise<[Client, Client]> {
  await startAskServer();
  const connectSampler = (name: string) =>
    harness!.connectClient({ sampling: {} }, (client) =>
      client.setRequestHandler('sampling/createMessage', () => ({
        model: name,
        role: 'assistant',
        content: { type: 'text', text: name },
      })),
    );
  return [await connectSampler('first'), await connectSampler('second')];
}

/** Makes `client` the most recently active one, strictly later than anything before. */
async function makeMostRecent(client: Client): Promise<void> {
  const beforeMs = Date.now();
  await waitFor(() => Date.now() > beforeMs, 1_000, 1);
  await client.listTools();
}

/** `caller` calls ask; while the call waits, `other` becomes the most recently active client. */
async function askWhileOtherIsActive(caller: Client, other: Client): Promise<string> {
  const entered = createDeferred();
  const release = createDeferred();
  beforeSampling = async () => {
    entered.resolve();
    await release.promise;
  };
  const call = caller.callTool({ name: 'a__ask', arguments: {} });
  await entered.promise;
  await makeMostRecent(other);
  release.resolve();
  return textOf(await call);
}

describe('server-to-client requests', () => {
  it('sends sampling to the first client when it made the call', async () => {
    const [first, second] = await startWithTwoSamplers();

    expect(await askWhileOtherIsActive(first, second)).toBe('first');
  });

  it('sends sampling to the second client when it made the call', async () => {
    const [first, second] = await startWithTwoSamplers();

    expect(await askWhileOtherIsActive(second, first)).toBe('second');
  });

  it('sends sampling outside any call to the most recently active client', async () => {
    const [first, second] = await startWithTwoSamplers();
    const server = harness!.serversMade('a')[0] as Server;

    await makeMostRecent(first);
    expect(await sample(server)).toBe('first');
    await makeMostRecent(second);
    expect(await sample(server)).toBe('second');
  });

  it('answers method not found, in one readable sentence, when no client can sample', async () => {
    await startAskServer();
    const client = await harness!.connectClient({});
    const answer = textOf(await client.callTool({ name: 'a__ask', arguments: {} }));
    expect(answer).toBe(
      '-32601 No MCP client connected to pml supports sampling/createMessage right now, so pml cannot forward this request from "a".',
    );
  });
});
