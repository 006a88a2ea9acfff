// Streamable HTTP mode: one SDK transport and one GatewaySession per 2025-11-25 session, each
// 2026-07-28 request through the SDK's per-request handler, all sharing the
// core, plus GET /health and GET /metrics (Prometheus). Binds 127.0.0.1 unless told otherwise.
import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { SUPPORTED_PROTOCOL_VERSIONS, isInitializeRequest } from '@modelcontextprotocol/server';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { PROMETHEUS_CONTENT_TYPE, toPrometheus } from '../../metrics/index.js';
import { toMegabytes } from '../../shared/json-rpc-lines.js';
import type { Logger } from '../../shared/logger.js';
import { buildAllowedHosts, checkHttpRequest, type HttpGuardOptions } from './http-guard.js';
import { createModernHttpEndpoint, isModernHttpRequest } from './modern/modern-http.js';
import { GatewaySession, type GatewayServices } from './session.js';

export interface HttpGatewayOptions extends HttpGuardOptions {
  logger: Logger;
  host: string;
  port: number;
  maxMessageBytes: number;
}

export interface HttpGateway {
  url: string;
  close(): Promise<void>;
}

const MCP_PATH = '/mcp';
const METRICS_PATH = '/metrics';

export async function startHttpGateway(
  services: GatewayServices,
  options: HttpGatewayOptions,
): Promise<HttpGateway> {
  const { core } = services;
  const sessions = new Map<
    string,
    { transport: NodeStreamableHTTPServerTransport; session: GatewaySession }
  >();
  let allowedHosts = new Set<string>();
  const modern = createModernHttpEndpoint(services, options);

  const handleMcp = async (request: IncomingMessage, response: ServerResponse) => {
    const sessionId = request.headers['mcp-session-id'];
    const existing = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    const body = request.method === 'POST' ? await readJsonBody(request, options.maxMessageBytes) : undefined;
    if (body && 'error' in body) return sendJsonRpcError(response, body.status, body.code, body.error);
    if (existing) {
      // Both answering paths run in the session's dispatcher, so one cancel serves either.
      cancelIfAbandoned(existing.transport, response, body?.value);
      if (await answerAsJson(existing.session, request, response, body?.value)) return;
      return existing.transport.handleRequest(request, response, body?.value);
    }
    if (sessionId !== undefined) {
      return sendJsonRpcError(
        response,
        404,
        -32001,
        'Session not found: it expired or the gateway restarted. Initialize a new session.',
      );
    }
    if (request.method === 'POST' && isModernHttpRequest(request, body?.value))
      return modern.serve(request, response, body?.value);
    if (request.method !== 'POST' || !isInitializeRequest(body?.value)) {
      return sendJsonRpcError(
        response,
        400,
        -32000,
        'Bad Request: no mcp-session-id header; the first request of a session must be initialize.',
      );
    }
    const session = new GatewaySession(services, 'http');
    const transport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, { transport, session }),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
      void session.close();
    };
    await session.connect(transport);
    await transport.handleRequest(request, response, body?.value);
  };

  const httpServer: HttpServer = createServer((request, response) => {
    const refusal = checkHttpRequest(request, allowedHosts, options);
    if (refusal) return sendJsonRpcError(response, refusal.status, -32000, refusal.message, refusal.headers);
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/health' && request.method === 'GET') return sendJson(response, 200, { status: 'ok' });
    // After the Host, Origin and token checks: a protected gateway does not show its tools' traffic.
    if (path === METRICS_PATH && request.method === 'GET') {
      response.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE }).end(toPrometheus(core.metrics));
      return;
    }
    if (path !== MCP_PATH)
      return sendJsonRpcError(response, 404, -32000, `Not found: the MCP endpoint is ${MCP_PATH}`);
    handleMcp(request, response).catch((error: unknown) => {
      options.logger.error('HTTP request failed', {
        error: error instanceof Error ? error.message : String(error),
      });
      if (!response.headersSent) sendJsonRpcError(response, 500, -32603, 'Internal error in pml');
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, options.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  allowedHosts = buildAllowedHosts(options.host, port, options.allowedHosts);
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${hostForUrl}:${port}${MCP_PATH}`,
    close: async () => {
      await Promise.all([...sessions.values()].map(({ transport }) => transport.close().catch(() => {})));
      await modern.close().catch(() => {});
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
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
  request: IncomingMessage,
  response: ServerResponse,
  body: unknown,
): Promise<boolean> {
  if (request.method !== 'POST' || !isPlainRequest(body)) return false;
  const accept = request.headers.accept ?? '';
  const version = request.headers['mcp-protocol-version'];
  if (!accept.includes('application/json') || !accept.includes('text/event-stream')) return false;
  if (typeof version === 'string' && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) return false;
  const sessionId = request.headers['mcp-session-id'] as string;
  const reply = session.answer(body, sessionId);
  if (!reply) return false;
  const message = await reply;
  if (message === undefined) {
    // Cancelled: the request gets no answer (the MCP spec), the HTTP exchange still ends.
    if (!response.headersSent) response.writeHead(202).end();
    return true;
  }
  if (!response.destroyed) sendJson(response, 200, message, { 'mcp-session-id': sessionId });
  return true;
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

type BodyResult = { value: unknown } | { error: string; status: number; code: number };

async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<BodyResult> {
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

function sendJson(
  response: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
}

function sendJsonRpcError(
  response: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers?: Record<string, string>,
): void {
  sendJson(response, status, { jsonrpc: '2.0', id: null, error: { code, message } }, headers);
}
