// The error types failures are recorded under: few, stable values.
import { ProtocolError } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import {
  CancelledError,
  DownstreamError,
  InvalidParamsError,
  MCPServerError,
  TimeoutError,
} from '../errors/index.js';
import { toErrorType } from './error-type.js';

describe('toErrorType', () => {
  it('names timeouts, server failures, cancellations, pml codes and JSON-RPC codes, and nothing else', () => {
    const timeout = new TimeoutError('slow', { operation: 'tools/call', limitMs: 1 });
    const crash = new MCPServerError('gone', { serverId: 's', reason: 'crashed', transport: 'stdio' });
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    const cancelled = new CancelledError('stop', { operation: 'tools/call' });
    const downstream = new DownstreamError('no', { serverId: 's', operation: 'tools/call', rpcCode: -32602 });
    const badParams = new InvalidParamsError('bad', { method: 'logging/setLevel', path: 'level' });
    expect(
      [
        timeout,
        crash,
        abort,
        cancelled,
        downstream,
        badParams,
        new ProtocolError(-32001, 'x'),
        new Error('?'),
        'text',
      ].map(toErrorType),
    ).toEqual([
      'timeout',
      'server_crashed',
      'cancelled',
      'cancelled',
      '-32602',
      'invalid_params',
      '-32001',
      '_OTHER',
      '_OTHER',
    ]);
  });
});
