import { ProtocolError, SdkError, SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { isSafeToRepeat, toEraMismatch } from './era-mismatch.js';

describe('toEraMismatch', () => {
  it('reads a result the era rejects as a mismatch of a request that ran', () => {
    const error = new SdkError(SdkErrorCode.UnsupportedResultType, "Unsupported result type 'done'");
    expect(toEraMismatch(error, 'tools/call')).toEqual({
      reason: expect.stringContaining(
        "its tools/call result does not fit 2026-07-28: Unsupported result type 'done'",
      ),
      refusedBeforeRunning: false,
    });
  });

  it('reads a server asking for initialize as a refusal before running', () => {
    const rpc = new ProtocolError(-32600, 'Bad Request: Server not initialized');
    const http = new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, 'Error POSTing', {
      status: 400,
      statusText: 'Bad Request',
      text: '{"error":{"message":"Bad Request: Server not initialized"}}',
    });
    expect(toEraMismatch(rpc, 'tools/list')?.refusedBeforeRunning).toBe(true);
    expect(toEraMismatch(http, 'tools/list')?.refusedBeforeRunning).toBe(true);
  });

  it('leaves the failures of the request itself alone', () => {
    expect(
      toEraMismatch(new ProtocolError(-32602, 'Invalid arguments: text is required'), 'tools/call'),
    ).toBeUndefined();
    expect(toEraMismatch(new ProtocolError(-32603, 'Server not initialized'), 'tools/call')).toBeUndefined();
    expect(toEraMismatch(new Error('boom'), 'tools/call')).toBeUndefined();
  });
});

describe('isSafeToRepeat', () => {
  it('repeats a refused request or a read, never a call that ran', () => {
    const ran = { reason: '', refusedBeforeRunning: false };
    expect(isSafeToRepeat({ reason: '', refusedBeforeRunning: true }, 'tools/call')).toBe(true);
    expect(isSafeToRepeat(ran, 'tools/list')).toBe(true);
    expect(isSafeToRepeat(ran, 'tools/call')).toBe(false);
  });
});
