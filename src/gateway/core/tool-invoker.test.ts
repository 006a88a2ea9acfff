// The ToolInvoker on its own, with no client session behind it: a real SDK server over an in-memory
// transport, and each typed failure the port promises, named the way the caller named the tool.
import { ProtocolError } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createDeferred,
  createToolServer,
  startInProcessGateway,
  textResult,
  type InProcessGateway,
  type TestTool,
} from '../../../test/helpers/in-process.js';
import {
  CancelledError,
  DownstreamError,
  InvalidArgumentsError,
  MCPServerError,
  TimeoutError,
  ToolNotFoundError,
} from '../../errors/index.js';
import type { ToolInvoker } from './tool-invoker.js';

const TEXT_SCHEMA = {
  type: 'object',
  properties: { text: { type: 'string' } },
  required: ['text'],
} satisfies TestTool['inputSchema'];

let harness: InProcessGateway | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function startInvoker(tools: Record<string, TestTool>): Promise<ToolInvoker> {
  harness = await startInProcessGateway({ servers: { a: () => createToolServer(tools) } });
  return harness.gateway.core.invoker;
}

async function toRejection(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => expect.fail('the call succeeded'),
    (error: unknown) => error,
  );
}

/** A tool that answers only when cancelled, and says when it started and why it was cancelled. */
function createHangingTool() {
  const started = createDeferred();
  const cancelled = createDeferred<unknown>();
  const tool: TestTool = {
    handle: (_args, extra) =>
      new Promise((resolve) => {
        started.resolve();
        extra.mcpReq.signal.addEventListener('abort', () => {
          cancelled.resolve(extra.mcpReq.signal.reason);
          resolve(textResult('cancelled'));
        });
      }),
  };
  return { tool, started: started.promise, cancelled: cancelled.promise };
}

type SentMessage = { method?: string; id?: unknown; params?: Record<string, unknown> };

/** The gateway sent server "a" one tools/call and then a notifications/cancelled naming that call. */
function expectCancelSentForTheCall(): void {
  const sent = harness!.messagesTo('a') as SentMessage[];
  const calls = sent.filter((message) => message.method === 'tools/call');
  const cancels = sent.filter((message) => message.method === 'notifications/cancelled');
  expect(calls).toHaveLength(1);
  expect(cancels.map((message) => message.params?.requestId)).toEqual([calls[0]!.id]);
}

describe('ToolInvoker', () => {
  it('calls a downstream tool with no client connected to the gateway', async () => {
    const invoker = await startInvoker({
      echo: { inputSchema: TEXT_SCHEMA, handle: (args) => textResult(`echo: ${String(args.text)}`) },
    });
    expect(harness!.gateway.core.clients.list()).toEqual([]);

    const result = await invoker.invoke('a__echo', { text: 'hi' });

    expect(result).toEqual(textResult('echo: hi'));
  });

  it('rejects an unknown tool with ToolNotFoundError and suggests the close names', async () => {
    const invoker = await startInvoker({ echo: { handle: () => textResult('never') } });

    const error = await toRejection(invoker.invoke('echo', {}));

    expect(error).toBeInstanceOf(ToolNotFoundError);
    expect((error as ToolNotFoundError).data).toEqual({
      tool: 'echo',
      operation: 'tools/call',
      suggestions: ['a__echo'],
    });
    expect((error as Error).message).toContain('Did you mean "a__echo"?');
  });

  it('rejects arguments that do not fit the schema with InvalidArgumentsError naming the field', async () => {
    let calls = 0;
    const invoker = await startInvoker({
      echo: { inputSchema: TEXT_SCHEMA, handle: () => textResult(`call ${++calls}`) },
    });

    const wrongType = await toRejection(invoker.invoke('a__echo', { text: 5 }));
    const missing = await toRejection(invoker.invoke('a__echo', {}));

    expect(wrongType).toBeInstanceOf(InvalidArgumentsError);
    expect((wrongType as InvalidArgumentsError).data).toMatchObject({
      tool: 'a__echo',
      serverId: 'a',
      problems: ['"text" must be string'],
    });
    expect((missing as InvalidArgumentsError).data.problems).toEqual(['missing required property "text"']);
    expect((missing as Error).message).toMatch(
      /^Invalid arguments for a__echo: missing required property "text"/,
    );
    expect(calls).toBe(0);
  });

  it('passes a JSON-RPC error of the server on as DownstreamError with the server code', async () => {
    const invoker = await startInvoker({
      refuse: {
        handle: () => {
          throw new ProtocolError(-32042, 'quota exhausted', { retryAfterSeconds: 3 });
        },
      },
    });

    const error = await toRejection(invoker.invoke('a__refuse', {}));

    expect(error).toBeInstanceOf(DownstreamError);
    expect((error as Error).message).toBe('quota exhausted');
    expect((error as DownstreamError).data).toEqual({
      serverId: 'a',
      operation: 'tools/call',
      tool: 'a__refuse',
      rpcCode: -32042,
      rpcData: { retryAfterSeconds: 3 },
    });
  });

  it('forwards the caller _meta to the server', async () => {
    const received = createDeferred<unknown>();
    const invoker = await startInvoker({
      record_meta: {
        handle: (_args, extra) => {
          received.resolve(extra.mcpReq._meta);
          return textResult('recorded');
        },
      },
    });

    await invoker.invoke('a__record_meta', {}, { meta: { 'dev.test/run': 'run-1' } });

    expect(await received.promise).toMatchObject({ 'dev.test/run': 'run-1' });
  });

  it('delivers the server progress to onProgress before the result', async () => {
    const invoker = await startInvoker({
      count: {
        handle: async (_args, extra) => {
          const progressToken = extra.mcpReq._meta?.progressToken;
          if (progressToken === undefined) return textResult('no progress token');
          for (const [progress, message] of [[1, 'one'] as const, [2, 'two'] as const]) {
            await extra.mcpReq.notify({
              method: 'notifications/progress',
              params: { progressToken, progress, total: 2, message },
            });
          }
          return textResult('counted');
        },
      },
    });
    const progress: unknown[] = [];

    const result = await invoker.invoke('a__count', {}, { onProgress: (update) => progress.push(update) });

    expect(result).toEqual(textResult('counted'));
    expect(progress).toEqual([
      { progress: 1, total: 2, message: 'one' },
      { progress: 2, total: 2, message: 'two' },
    ]);
  });

  it('gives up after timeoutMs with TimeoutError and cancels the call on the server', async () => {
    const hanging = createHangingTool();
    const invoker = await startInvoker({ hang: hanging.tool });

    const error = await toRejection(invoker.invoke('a__hang', {}, { timeoutMs: 50 }));

    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).data).toMatchObject({
      operation: 'tools/call',
      tool: 'a__hang',
      serverId: 'a',
      limitMs: 50,
    });
    await hanging.cancelled;
    expectCancelSentForTheCall();
  });

  it('ends a call whose signal is aborted with CancelledError and cancels it on the server', async () => {
    const hanging = createHangingTool();
    const invoker = await startInvoker({ hang: hanging.tool });
    const controller = new AbortController();

    const call = toRejection(invoker.invoke('a__hang', {}, { signal: controller.signal }));
    await hanging.started;
    controller.abort();
    const error = await call;

    expect(error).toBeInstanceOf(CancelledError);
    expect((error as CancelledError).data).toEqual({
      operation: 'tools/call',
      tool: 'a__hang',
      serverId: 'a',
    });
    await hanging.cancelled;
    expectCancelSentForTheCall();
  });

  it('does not send a call whose signal is already aborted', async () => {
    let calls = 0;
    const invoker = await startInvoker({ echo: { handle: () => textResult(`call ${++calls}`) } });

    const error = await toRejection(invoker.invoke('a__echo', {}, { signal: AbortSignal.abort() }));

    expect(error).toBeInstanceOf(CancelledError);
    expect((error as CancelledError).data).toMatchObject({ operation: 'tools/call', tool: 'a__echo' });
    expect(calls).toBe(0);
  });

  it('names the tool and operation in MCPServerError when the server goes away during the call', async () => {
    const invoker = await startInvoker({
      crash: {
        handle: async (_args, _extra, server) => {
          await server.close();
          return textResult('never sent');
        },
      },
    });

    const error = await toRejection(invoker.invoke('a__crash', {}));

    expect(error).toBeInstanceOf(MCPServerError);
    expect((error as MCPServerError).data).toMatchObject({
      serverId: 'a',
      reason: 'crashed',
      operation: 'tools/call',
      tool: 'a__crash',
    });
  });
});
