// 2026-07-28 over Streamable HTTP: the request arrives at pml's HTTP server (Host, Origin and token
// already checked), goes to the SDK's per-request handler as a web Request, and its Response (one
// JSON body or an SSE stream) is written back. A client that drops the connection aborts it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { classifyInboundRequest, createMcpHandler, type McpHttpHandler } from '@modelcontextprotocol/server';
import type { Logger } from '../../../shared/logger.js';
import type { GatewayServices } from '../session.js';
import { ChangeFeed } from './change-feed.js';
import { holdListenResources } from './listen-resources.js';
import { createModernServerFactory } from './modern-server.js';

export interface ModernHttpEndpoint {
  serve(request: IncomingMessage, response: ServerResponse, body: unknown): Promise<void>;
  close(): Promise<void>;
}

/** Whether a POST without a session belongs to the 2026-07-28 path (a claim, or a claim gone wrong). */
export function isModernHttpRequest(request: IncomingMessage, body: unknown): boolean {
  const header = (name: string) => {
    const value = request.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  const outcome = classifyInboundRequest({
    httpMethod: request.method ?? 'POST',
    protocolVersionHeader: header('mcp-protocol-version'),
    mcpMethodHeader: header('mcp-method'),
    mcpNameHeader: header('mcp-name'),
    body,
  });
  return outcome.kind !== 'legacy';
}

export function createModernHttpEndpoint(
  services: GatewayServices,
  options: { logger: Logger; maxMessageBytes: number },
): ModernHttpEndpoint {
  const handler: McpHttpHandler = createMcpHandler(
    createModernServerFactory(services, 'http', services.requestStateSeal),
    {
      legacy: 'reject',
      maxRequestBodySize: options.maxMessageBytes,
      onerror: (error) => options.logger.debug('2026-07-28 request refused', { error: error.message }),
    },
  );
  const feed = new ChangeFeed(handler.notify);
  services.core.clients.add(feed);
  return {
    async serve(request, response, body) {
      const abandoned = new AbortController();
      const resources = holdListenResources(services.core.routes, body, options.logger);
      response.once('close', () => {
        resources?.release();
        if (!response.writableFinished) abandoned.abort('the client disconnected');
      });
      await resources?.ready;
      const answer = await handler.fetch(toWebRequest(request, body, abandoned.signal), { parsedBody: body });
      writeWebResponse(answer, response);
    },
    async close() {
      services.core.clients.remove(feed);
      await handler.close();
    },
  };
}

function toWebRequest(request: IncomingMessage, body: unknown, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
  }
  const url = `http://${request.headers.host ?? '127.0.0.1'}${request.url ?? '/mcp'}`;
  const method = request.method ?? 'POST';
  const hasBody = method !== 'GET' && method !== 'HEAD' && body !== undefined;
  return new Request(url, { method, headers, signal, ...(hasBody ? { body: JSON.stringify(body) } : {}) });
}

function writeWebResponse(answer: Response, response: ServerResponse): void {
  if (response.destroyed) return;
  response.writeHead(answer.status, Object.fromEntries(answer.headers.entries()));
  if (!answer.body) return void response.end();
  const stream = Readable.fromWeb(answer.body as WebReadableStream<Uint8Array>);
  stream.on('error', () => response.destroy());
  response.once('close', () => stream.destroy());
  stream.pipe(response);
}
