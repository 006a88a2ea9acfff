import { SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
import { describe, expect, it } from 'vitest';
import { isSessionLost, isStreamFailure, toUnreachableCause } from './http-failures.js';

const httpError = (status: number, text: string) =>
  new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, `Error POSTing to endpoint: ${text}`, {
    status,
    statusText: '',
    text,
  });

/** What Node's fetch throws: `TypeError: fetch failed` with the socket error as its cause. */
const fetchFailure = (code: string) =>
  new TypeError('fetch failed', { cause: Object.assign(new Error(`connect ${code}`), { code }) });

describe('isSessionLost', () => {
  it('reads a 404 on the session, or a 400 that names the session, as a lost session', () => {
    expect(isSessionLost(httpError(404, '{"error":{"message":"Session not found"}}'))).toBe(true);
    expect(isSessionLost(httpError(400, 'Bad Request: No valid session ID provided'))).toBe(true);
    expect(isSessionLost(new Error('Error POSTing to endpoint (HTTP 404): gone'))).toBe(true);
  });

  it('leaves other failures alone: a 400 for a bad request, a 500, a JSON-RPC error', () => {
    expect(isSessionLost(httpError(400, 'Bad Request: invalid JSON'))).toBe(false);
    expect(isSessionLost(httpError(500, 'Session store crashed'))).toBe(false);
    expect(isSessionLost(new Error('Unknown tool: x'))).toBe(false);
  });
});

describe('toUnreachableCause', () => {
  it('names the cause deep in the chain, with its code', () => {
    expect(toUnreachableCause(fetchFailure('ECONNREFUSED'))).toBe('connection refused (ECONNREFUSED)');
    expect(toUnreachableCause(fetchFailure('ENOTFOUND'))).toBe('host not found (ENOTFOUND)');
    expect(toUnreachableCause(fetchFailure('UND_ERR_CONNECT_TIMEOUT'))).toBe(
      'timed out (UND_ERR_CONNECT_TIMEOUT)',
    );
    expect(toUnreachableCause(fetchFailure('DEPTH_ZERO_SELF_SIGNED_CERT'))).toBe(
      'TLS failure (DEPTH_ZERO_SELF_SIGNED_CERT)',
    );
    const wrapped = new Error('Version negotiation probe failed: fetch failed', {
      cause: fetchFailure('ECONNRESET'),
    });
    expect(toUnreachableCause(wrapped)).toBe('connection reset (ECONNRESET)');
  });

  it('is undefined for an answer from the server', () => {
    expect(toUnreachableCause(httpError(404, 'Session not found'))).toBeUndefined();
    expect(toUnreachableCause(new Error('Request timed out'))).toBeUndefined();
  });
});

describe('isStreamFailure', () => {
  it('is true for a broken event stream and false for a protocol error', () => {
    expect(isStreamFailure(new Error('SSE stream disconnected: TypeError: terminated'))).toBe(true);
    expect(isStreamFailure(fetchFailure('ECONNREFUSED'))).toBe(true);
    expect(isStreamFailure(new Error('Unknown message type'))).toBe(false);
  });
});
