// A real gateway inside the test process: SDK servers and SDK clients joined to it by linked
// in-memory transports, so MCP runs end to end with no child process and no mock. 2026-07-28
// servers, which have no in-memory entry, are served per request by the SDK's createMcpHandler
// through an in-process fetch.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  InMemoryTransport,
  Server,
  ProtocolError,
  ProtocolErrorCode,
  createMcpHandler,
  type McpHttpHandler,
} from '@modelcontextprotocol/server';
import type {
  McpServer,
  CallToolResult,
  ClientCapabilities,
  JSONRPCMessage,
  ServerCapabilities,
  Tool,
  ServerContext,
} from '@modelcontextprotocol/server';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Transport } from '@modelcontextprotocol/client';
import { resolveConfig, type ResolvedConfig } from '../../src/config/index.js';
import { createGateway, type Gateway } from '../../src/gateway/index.js';
import { silentLogger } from '../../src/shared/logger.js';
import type { Embedder } from '../../src/search/index.js';
import type { Telemetry } from '../../src/telemetry/index.js';

export type DownstreamServer = Server | McpServer;

export interface InProcessGatewayOptions {
  /** One factory per server id, called for every (re)connect: each connection gets a fresh server. */
  servers: Record<string, () => DownstreamServer>;
  /**
   * 2026-07-28-only servers (HTTP entries in the config): one factory per server id, called by
   * `createMcpHandler(factory, { legacy: 'reject' })` for every request, as that era serves.
   */
  modernServers?: Record<string, () => DownstreamServer | Promise<DownstreamServer>>;
  /** The `gateway` section of the config, as a user would write it. */
  gateway?: Record<string, unknown>;
  telemetry?: Telemetry;
  autoRestart?: boolean;
  /** pml's other config sections (`search`, `storage`, `sandbox`); storage is off unless given. */
  sections?: Record<string, unknown>;
  /** Defaults to a shared folder under the temp dir; a test that opens storage gives its own. */
  dataDir?: string;
  embedder?: Embedder;
}

export interface InProcessGateway {
  gateway: Gateway;
  /** Connects a new SDK client; `setup` runs before connecting (to register sampling or roots handlers). */
  connectClient(capabilities?: ClientCapabilities, setup?: (client: Client) => void): Promise<Client>;
  /** How many transports the gateway asked for `serverId`: 2 once it has been restarted. */
  transportsMade(serverId: string): number;
  /** The servers made for `serverId`, oldest first; the last one is the live one. */
  serversMade(serverId: string): DownstreamServer[];
  /** Every message the gateway sent to `serverId`, across restarts, in order (for a modern server: every POST body). */
  messagesTo(serverId: string): JSONRPCMessage[];
  /** Closes the gateway's live transport to `serverId`, as a crash or a dropped connection does. */
  dropConnection(serverId: string): Promise<void>;
  /** Publishes a change of a modern server to its open `subscriptions/listen` streams. */
  notifyModern(serverId: string): McpHttpHandler['notify'];
  close(): Promise<void>;
}

/** A resolved config whose servers are placeholders: the transport factory decides what they are. */
export function buildTestConfig(
  serverIds: string[],
  gateway: Record<string, unknown> = {},
  sections: Record<string, unknown> = {},
  dataDir = join(tmpdir(), 'pml-in-process'),
  httpServerIds: string[] = [],
): ResolvedConfig {
  const mcpServers = Object.fromEntries([
    ...serverIds.map((id) => [id, { command: 'in-memory' }]),
    ...httpServerIds.map((id) => [id, { url: `http://in-process/${id}/mcp` }]),
  ]);
  // Storage is off unless a test asks: PGlite takes seconds to open and one process owns a data dir.
  return resolveConfig(
    { mcpServers, gateway, storage: { enabled: false }, ...sections },
    { source: 'test', dataDir, env: {}, baseDir: tmpdir() },
  );
}

/** Builds the gateway and waits until every server's first connect attempt has settled. */
export async function startInProcessGateway(options: InProcessGatewayOptions): Promise<InProcessGateway> {
  const made = new Map<string, DownstreamServer[]>();
  const sent = new Map<string, JSONRPCMessage[]>();
  const transportCounts = new Map<string, number>();
  const live = new Map<string, Transport>();
  const clients: Client[] = [];
  const modernServers = options.modernServers ?? {};
  const handlers = new Map(
    Object.entries(modernServers).map(([id, createServer]) => [
      id,
      createMcpHandler(() => createServer(), { legacy: 'reject' }),
    ]),
  );
  const connectLegacyServer = (serverId: string, messages: JSONRPCMessage[]): Transport => {
    const createServer = options.servers[serverId];
    if (!createServer) throw new Error(`no in-process server for "${serverId}"`);
    const [gatewaySide, serverSide] = InMemoryTransport.createLinkedPair();
    const downstream = createServer();
    made.set(serverId, [...(made.get(serverId) ?? []), downstream]);
    const send = gatewaySide.send.bind(gatewaySide);
    gatewaySide.send = (message, sendOptions) => {
      messages.push(message);
      return send(message, sendOptions);
    };
    // connect() wires the server's handlers synchronously; the gateway's initialize finds them.
    void downstream.connect(serverSide);
    return gatewaySide;
  };
  const gateway = createGateway({
    config: buildTestConfig(
      Object.keys(options.servers),
      options.gateway,
      options.sections,
      options.dataDir,
      Object.keys(modernServers),
    ),
    embedder: options.embedder,
    logger: silentLogger,
    telemetry: options.telemetry,
    autoRestart: options.autoRestart,
    createTransport: (server) => {
      const messages = sent.get(server.id) ?? [];
      sent.set(server.id, messages);
      transportCounts.set(server.id, (transportCounts.get(server.id) ?? 0) + 1);
      const handler = handlers.get(server.id);
      const transport = handler
        ? connectModernServer(server.id, handler, messages)
        : connectLegacyServer(server.id, messages);
      live.set(server.id, transport);
      return transport;
    },
  });
  await gateway.core.startAndSettle();
  return {
    gateway,
    async connectClient(capabilities = {}, setup) {
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await gateway.connect(serverSide, 'memory');
      const client = new Client(
        { name: `test-client-${clients.length + 1}`, version: '1.0.0' },
        { capabilities },
      );
      setup?.(client);
      await client.connect(clientSide);
      clients.push(client);
      return client;
    },
    transportsMade: (serverId) => transportCounts.get(serverId) ?? 0,
    serversMade: (serverId) => made.get(serverId) ?? [],
    messagesTo: (serverId) => sent.get(serverId) ?? [],
    dropConnection: async (serverId) => {
      await live.get(serverId)?.close();
    },
    notifyModern: (serverId) => {
      const handler = handlers.get(serverId);
      if (!handler) throw new Error(`"${serverId}" is not a modern in-process server`);
      return handler.notify;
    },
    async close() {
      try {
        await Promise.all(clients.map((client) => client.close().catch(() => {})));
        await gateway.close();
      } finally {
        await Promise.all([...made.values()].flat().map((server) => server.close().catch(() => {})));
        await Promise.all([...handlers.values()].map((handler) => handler.close().catch(() => {})));
      }
    },
  };
}

/**
 * A 2026-07-28 server as the gateway reaches it: Streamable HTTP whose fetch is the handler's own,
 * so no socket opens; every POST body is recorded, the way a wire trace would show it.
 */
function connectModernServer(
  serverId: string,
  handler: McpHttpHandler,
  messages: JSONRPCMessage[],
): Transport {
  return new StreamableHTTPClientTransport(new URL(`http://in-process/${serverId}/mcp`), {
    fetch: async (url, init) => {
      if (typeof init?.body === 'string') messages.push(JSON.parse(init.body) as JSONRPCMessage);
      return handler.fetch(new Request(url, init));
    },
  });
}

export type ToolExtra = ServerContext;

export interface TestTool {
  inputSchema?: Tool['inputSchema'];
  annotations?: Tool['annotations'];
  handle(
    args: Record<string, unknown>,
    extra: ToolExtra,
    server: Server,
  ): CallToolResult | Promise<CallToolResult>;
}

/**
 * A low-level SDK server with the given tools. Unlike McpServer it lets a handler throw a JSON-RPC
 * error of its own and reach `extra` and the server (for sampling or roots requests) directly.
 */
export function createToolServer(
  tools: Record<string, TestTool>,
  capabilities: ServerCapabilities = {},
): Server {
  const server = new Server(
    { name: 'in-process', version: '1.0.0' },
    { capabilities: { tools: {}, ...capabilities } },
  );
  server.setRequestHandler('tools/list', () => ({
    tools: Object.entries(tools).map(([name, tool]) => ({
      name,
      inputSchema: tool.inputSchema ?? { type: 'object' },
      ...(tool.annotations ? { annotations: tool.annotations } : {}),
    })),
  }));
  server.setRequestHandler('tools/call', (request, ctx) => {
    const tool = tools[request.params.name];
    if (!tool)
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `unknown tool ${request.params.name}`);
    return tool.handle(request.params.arguments ?? {}, ctx, server);
  });
  return server;
}

export function textResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }] };
}

/** A promise and the function that resolves it: what a handler signals and a test waits on. */
export function createDeferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}
