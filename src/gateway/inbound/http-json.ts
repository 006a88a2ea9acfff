// Reading a request's JSON body within the message limit, and writing JSON and JSON-RPC error
// replies: what every answering path of the HTTP server shares.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toMegabytes } from '../../shared/json-rpc-lines.js';

export type BodyResult = { value: unknown } | { error: string; status: number; code: number };

/** The MCP spec's answer to a session id the server does not know (any more): 404. */
export const SESSION_NOT_FOUND_MESSAGE =
  'Session not found: it was deleted, expired after gateway.http.sessionIdleMs without a request, or the gateway restarted. Initialize a new session.';

export async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      request.resume();
      return {
        status: 413,
        code: -32600,
        error: `Message too large: over the gateway limit of ${toMegabytes(maxBytes)} (gateway.maxMessageBytes). Send smaller arguments, or raise the limit.`,
      };
    }
    chunks.push(chunk);
  }
  try {
    return { value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch (error) {
    return {
      status: 400,
      code: -32700,
      error: `Parse error: the body is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    };
  }
}

export function sendJson(
  response: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
}

export function sendJsonRpcError(
  response: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers?: Record<string, string>,
): void {
  sendJson(response, status, { jsonrpc: '2.0', id: null, error: { code, message } }, headers);
}

export function sendSessionNotFound(response: ServerResponse): void {
  sendJsonRpcError(response, 404, -32001, SESSION_NOT_FOUND_MESSAGE);
}
