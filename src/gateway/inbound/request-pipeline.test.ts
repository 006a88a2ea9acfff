// The request pipeline: guard, then metrics around the telemetry scope around the handler, then one
// error mapping, with Sentry issues only for what the error table says.
import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  DownstreamError,
  InvalidArgumentsError,
  InvalidParamsError,
  MCPServerError,
  TimeoutError,
} from '../../errors/index.js';
import { createMetricsRegistry } from '../../metrics/index.js';
import { noopTelemetry, type Telemetry } from '../../telemetry/index.js';
import { createRequestPipeline, type MethodRoute } from './request-pipeline.js';
import { toToolCallAnswer } from './error-mapping.js';

function recordingTelemetry() {
  const events: string[] = [];
  const captured: unknown[] = [];
  const telemetry: Telemetry = {
    ...noopTelemetry,
    traceRequest: async (info, work) => {
      events.push(`span start ${info.method} ${info.target ?? ''}`.trim());
      try {
        return await work({ ...noopScopeFor(events) });
      } finally {
        events.push('span end');
      }
    },
    captureError: (error) => void captured.push(error),
  };
  return { telemetry, events, captured };
}

function noopScopeFor(events: string[]) {
  return {
    setServer: () => {},
    markToolError: () => void events.push('tool error'),
    setData: () => {},
    setTag: () => {},
    recordInput: () => {},
    recordOutput: () => {},
  };
}

const extra = {
  signal: new AbortController().signal,
  requestId: 1,
  sendNotification: async () => {},
};

function routeThat(
  handle: () => Promise<unknown>,
  asToolCall = false,
): MethodRoute<{ name: string }, unknown> {
  return {
    method: asToolCall ? 'tools/call' : 'resources/read',
    parse: (params) => {
      const name = (params as { name?: unknown } | undefined)?.name;
      if (typeof name !== 'string')
        throw new InvalidParamsError('params.name is missing', { method: 'x', path: 'name' });
      return { name };
    },
    describe: (params) => ({ operation: 'mcp.test', target: params.name, tool: params.name }),
    handle,
    ...(asToolCall ? { answerError: (error: unknown) => toToolCallAnswer(error) } : {}),
  };
}

describe('createRequestPipeline', () => {
  it('answers bad params with -32602 before any span, and records the attempt', async () => {
    const { telemetry, events } = recordingTelemetry();
    const metrics = createMetricsRegistry();
    const pipeline = createRequestPipeline({ telemetry, metrics, transport: 'memory' });
    await expect(
      pipeline.run(
        routeThat(async () => ({})),
        {},
        extra,
      ),
    ).rejects.toMatchObject({
      code: -32602,
      message: 'params.name is missing',
    });
    expect(events).toEqual([]);
    expect(metrics.toSnapshot().operations[0]).toMatchObject({ errors: 1, errorTypes: { '-32602': 1 } });
  });

  it('runs the handler inside the span and records success', async () => {
    const { telemetry, events } = recordingTelemetry();
    const metrics = createMetricsRegistry();
    const pipeline = createRequestPipeline({ telemetry, metrics, transport: 'memory' });
    const result = await pipeline.run(
      routeThat(async () => {
        events.push('handler');
        return { contents: [] };
      }),
      { name: 'a' },
      extra,
    );
    expect(result).toEqual({ contents: [] });
    expect(events).toEqual(['span start resources/read a', 'handler', 'span end']);
    expect(metrics.toSnapshot().operations[0]).toMatchObject({ operation: 'mcp.test', count: 1, errors: 0 });
  });

  it('maps typed errors to JSON-RPC codes by the table, capturing only what the table says', async () => {
    const { telemetry, captured } = recordingTelemetry();
    const metrics = createMetricsRegistry();
    const pipeline = createRequestPipeline({ telemetry, metrics, transport: 'memory' });
    const failWith = (error: unknown) =>
      pipeline.run(
        routeThat(() => Promise.reject(error)),
        { name: 'a' },
        extra,
      );
    const timeout = new TimeoutError('slow', { operation: 'resources/read', limitMs: 5, serverId: 's' });
    const downstream = new DownstreamError('no such resource', {
      serverId: 's',
      operation: 'resources/read',
      rpcCode: -32002,
      rpcData: { uri: 'x' },
    });
    const badParams = new InvalidParamsError('No server offers "x"', {
      method: 'resources/read',
      path: 'uri',
    });
    await expect(failWith(timeout)).rejects.toMatchObject({
      code: -32001,
      message: 'slow',
      data: { code: 'TIMEOUT' },
    });
    await expect(failWith(downstream)).rejects.toMatchObject({ code: -32002, data: { uri: 'x' } });
    await expect(failWith(badParams)).rejects.toMatchObject({ code: -32602 });
    await expect(failWith(new Error('boom'))).rejects.toMatchObject({
      code: -32603,
      message: 'Internal error in pml: boom',
    });
    await expect(failWith(new CancelledError('gone', { operation: 'resources/read' }))).rejects.toBeDefined();
    expect(captured).toEqual([timeout, downstream, expect.objectContaining({ message: 'boom' })]);
    expect(metrics.toSnapshot().operations[0]?.errorTypes).toEqual({
      '-32001': 1,
      '-32002': 1,
      '-32602': 1,
      '-32603': 1,
      cancelled: 1,
    });
  });

  it('answers tool failures as isError results that keep their own error type', async () => {
    const { telemetry, events } = recordingTelemetry();
    const metrics = createMetricsRegistry();
    const pipeline = createRequestPipeline({ telemetry, metrics, transport: 'memory' });
    const crash = new MCPServerError('Server "s" crashed', {
      serverId: 's',
      reason: 'crashed',
      transport: 'stdio',
    });
    const badArgs = new InvalidArgumentsError('Invalid arguments for s__t: missing "x"', {
      tool: 's__t',
      operation: 'tools/call',
      problems: [],
    });
    for (const error of [crash, badArgs]) {
      const result = await pipeline.run(
        routeThat(() => Promise.reject(error), true),
        { name: 's__t' },
        extra,
      );
      expect(result).toMatchObject({ isError: true, content: [{ type: 'text', text: error.message }] });
    }
    expect(events.filter((event) => event === 'span end')).toHaveLength(2);
    expect(metrics.toSnapshot().tools[0]?.errorTypes).toEqual({ server_crashed: 1, invalid_arguments: 1 });
  });
});
