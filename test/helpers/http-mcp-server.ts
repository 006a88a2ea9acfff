// A Streamable HTTP MCP server inside the test process, recording the headers of each request it
// receives: the downstream side of HTTP propagation tests.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';

export interface RecordingHttpServer {
  url: string;
  requests: { method: string | undefined; body: unknown; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

export async function startRecordingHttpServer(): Promise<RecordingHttpServer> {
  const requests: RecordingHttpServer['requests'] = [];
  const httpServer = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
    const body = chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString()) as unknown) : undefined;
    requests.push({
      method: (body as { method?: string } | undefined)?.method,
      body,
      headers: request.headers,
    });
    // Stateless: a fresh server and transport per request keeps this fixture small.
    const server = new McpServer({ name: 'recording-http', version: '1.0.0' });
    server.registerTool('echo', { inputSchema: z.object({ text: z.string() }) }, ({ text }) => ({
      content: [{ type: 'text', text: `Echo: ${text}` }],
    }));
    const transport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    response.on('close', () => void transport.close());
    await server.connect(transport);
    await transport.handleRequest(request, response, body);
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    requests,
    close: () =>
      new Promise((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      }),
  };
}
