// One HTTP request on a live 2025-11-25 session: DELETE ends the session, a plain request is
// answered as one JSON body, anything else (progress, batches, GET streams) goes to the session's
// SDK transport. Every open exchange keeps the session from going idle.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/server';
import { sendJson, sendSessionNotFound } from './http-json.js';
import type { HttpSessionRegistry } from './http-session-registry.js';
import type { GatewaySession } from './session.js';

export async function serveSessionRequest(
  sessions: HttpSessionRegistry,
  sessionId: string,
  request: IncomingMessage,
  response: ServerResponse,
  body: unknown,
): Promise<void> {
  const entry = sessions.find(sessionId);
  if (!entry) return sendSessionNotFound(response);
  // An unsupported version header goes on to the SDK, which answers 400 and keeps the session.
  if (request.method === 'DELETE' && hasSupportedVersion(request)) {
    await sessions.end(sessionId, 'the client deleted it (HTTP DELETE)');
    response.writeHead(200).end();
    return;
  }
  response.once('close', sessions.beginExchange(sessionId));
  // Both answering paths run in the session's dispatcher, so one cancel serves either.
  cancelIfAbandoned(entry.transport, response, body);
  const isLive = () => sessions.find(sessionId) === entry;
  if (await answerAsJson(entry.session, sessionId, isLive, request, response, body)) return;
  return entry.transport.handleRequest(request, response, body);
}

/**
 * A client that drops the connection before its answer has abandoned the request. The SDK does not
 * notice, so pml plays the client's `notifications/cancelled`: the handler aborts and the cancel
 * travels on to the downstream server.
 */
function cancelIfAbandoned(
  transport: NodeStreamableHTTPServerTransport,
  response: ServerResponse,
  body: unknown,
): void {
  const messages = Array.isArray(body) ? body : [body];
  const requestIds = messages
    .filter(
      (message): message is { id: string | number; method: string } =>
        typeof message?.method === 'string' && message.id !== undefined,
    )
    .map((message) => message.id);
  if (requestIds.length === 0) return;
  response.once('close', () => {
    if (response.writableFinished) return;
    for (const requestId of requestIds) {
      transport.onmessage?.({
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: { requestId, reason: 'client disconnected' },
      });
    }
  });
}

/**
 * A single request with no progress token, in a live session, is answered here as one JSON body
 * (the spec lets the server choose JSON or SSE). The SDK transport's path converts the request to a
 * web Request, opens an SSE stream and parses the message with zod three times: about half of an
 * HTTP round trip. Anything else (batches, progress, unknown methods, a protocol version header the
 * SDK would refuse) takes the SDK's path.
 */
async function answerAsJson(
  session: GatewaySession,
  sessionId: string,
  isLive: () => boolean,
  request: IncomingMessage,
  response: ServerResponse,
  body: unknown,
): Promise<boolean> {
  if (request.method !== 'POST' || !isPlainRequest(body) || !hasSupportedVersion(request)) return false;
  const accept = request.headers.accept ?? '';
  if (!accept.includes('application/json') || !accept.includes('text/event-stream')) return false;
  const reply = session.answer(body, sessionId);
  if (!reply) return false;
  const message = await reply;
  if (message === undefined) {
    if (response.headersSent) return true;
    // Ended while the request ran (DELETE): the id is gone, as for any later request.
    if (!isLive()) sendSessionNotFound(response);
    // Cancelled: the request gets no answer (the MCP spec), the HTTP exchange still ends.
    else response.writeHead(202).end();
    return true;
  }
  if (!response.destroyed) sendJson(response, 200, message, { 'mcp-session-id': sessionId });
  return true;
}

/** No version header (the negotiated one applies) or one the SDK speaks. */
function hasSupportedVersion(request: IncomingMessage): boolean {
  const version = request.headers['mcp-protocol-version'];
  return typeof version !== 'string' || SUPPORTED_PROTOCOL_VERSIONS.includes(version);
}

function isPlainRequest(body: unknown): body is { id: string | number; method: string; params?: unknown } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const message = body as {
    id?: unknown;
    method?: unknown;
    params?: { _meta?: { progressToken?: unknown } };
  };
  return (
    typeof message.method === 'string' &&
    (typeof message.id === 'string' || typeof message.id === 'number') &&
    message.params?._meta?.progressToken === undefined
  );
}
