// Streamable HTTP mode: one SDK transport and one GatewaySession per 2025-11-25 session (kept, bounded
// and expired by the session registry), each 2026-07-28 request through the SDK's per-request
// handler, all sharing the core, plus GET /health and GET /metrics (Prometheus). Binds 127.0.0.1
// unless told otherwise.
import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { isInitializeRequest } from '@modelcontextprotocol/server';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { PROMETHEUS_CONTENT_TYPE, toPrometheus } from '../../metrics/index.js';
import type { Logger } from '../../shared/logger.js';
import { buildAllowedHosts, checkHttpRequest, type HttpGuardOptions } from './http-guard.js';
import { readJsonBody, sendJson, sendJsonRpcError } from './http-json.js';
import { HttpSessionRegistry, type HttpSessionLimits } from './http-session-registry.js';
import { createModernHttpEndpoint, isModernHttpRequest } from './modern/modern-http.js';
import { serveSessionRequest } from './session-http-request.js';
import { GatewaySession, type GatewayServices } from './session.js';

export interface HttpGatewayOptions extends HttpGuardOptions, HttpSessionLimits {
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
  const sessions = new HttpSessionRegistry(options, options.logger);
  let allowedHosts = new Set<string>();
  const modern = createModernHttpEndpoint(services, options);

  const handleMcp = async (request: IncomingMessage, response: ServerResponse) => {
    const sessionId = request.headers['mcp-session-id'];
    const body = request.method === 'POST' ? await readJsonBody(request, options.maxMessageBytes) : undefined;
    if (body && 'error' in body) return sendJsonRpcError(response, body.status, body.code, body.error);
    // Looked up once the body is read: a DELETE that ended the session meanwhile is seen.
    if (typeof sessionId === 'string')
      return serveSessionRequest(sessions, sessionId, request, response, body?.value);
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
    const refusal = sessions.refuseIfFull();
    if (refusal) return sendJsonRpcError(response, refusal.status, -32000, refusal.message);
    const newSessionId = randomUUID();
    const session = new GatewaySession(services, 'http');
    const transport = new NodeStreamableHTTPServerTransport({ sessionIdGenerator: () => newSessionId });
    sessions.add(newSessionId, { transport, session });
    response.once('close', sessions.beginExchange(newSessionId));
    await session.connect(transport);
    await transport.handleRequest(request, response, body?.value);
    // Refused before it began (an Accept header without SSE, say): nobody will ever use the id.
    if (transport.sessionId === undefined) await sessions.end(newSessionId, 'its initialize was refused');
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
      await sessions.close();
      await modern.close().catch(() => {});
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
