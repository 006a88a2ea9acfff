// What counts as an error on each side, and the error types it is recorded under.
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { MCPServerError, TimeoutError } from '../errors/index.js';
import { toErrorType } from './error-type.js';
import { createMetricsRegistry } from './registry.js';
import { wrapOperation } from './wrap-operation.js';

describe('wrapOperation', () => {
  it('records a result as success, an isError result as tool_error, a throw by its type', async () => {
    const registry = createMetricsRegistry();
    const call = (work: () => Promise<unknown>) =>
      wrapOperation(registry, 'mcp.tools.call', 'tools/call', 'a__b', work);
    await call(async () => ({ content: [] }));
    await call(async () => ({ isError: true, content: [] }));
    await expect(call(() => Promise.reject(new McpError(-32602, 'bad')))).rejects.toThrow('bad');
    const [stats] = registry.toSnapshot().tools;
    expect(stats).toMatchObject({ count: 3, errors: 2, errorTypes: { tool_error: 1, '-32602': 1 } });
  });
});

describe('toErrorType', () => {
  it('names timeouts, server failures, cancellations and JSON-RPC codes, and nothing else', () => {
    const timeout = new TimeoutError('slow', { operation: 'tools/call', limitMs: 1 });
    const crash = new MCPServerError('gone', { serverId: 's', reason: 'crashed', transport: 'stdio' });
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(
      [timeout, crash, abort, new McpError(-32001, 'x'), new Error('?'), 'text'].map(toErrorType),
    ).toEqual(['timeout', 'server_crashed', 'cancelled', '-32001', '_OTHER', '_OTHER']);
  });
});
