// The client transport for one configured server: our stdio transport, or the SDK's Streamable HTTP
// one (or its HTTP+SSE one for `"type": "sse"` servers), whose requests also carry the trace pml put
// in their `_meta` as HTTP headers.
import { SSEClientTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Transport } from '@modelcontextprotocol/client';
import type { ServerConfig } from '../config/index.js';
import { SpawnedStdioTransport } from './stdio-client-transport.js';

/** Makes the client transport for a server; called again on every restart. */
export type TransportFactory = (config: ServerConfig, onStderrLine: (line: string) => void) => Transport;

export const createTransport: TransportFactory = (config, onStderrLine) => {
  if (config.transport === 'http' && config.httpKind === 'sse') {
    return new SSEClientTransport(new URL(config.url), {
      requestInit: { headers: config.headers },
      fetch: fetchWithTraceHeaders,
    });
  }
  if (config.transport === 'http') {
    return new StreamableHTTPClientTransport(new URL(config.url), {
      requestInit: { headers: config.headers },
      fetch: fetchWithTraceHeaders,
      reconnectionOptions: EVENT_STREAM_RECONNECTION,
    });
  }
  return new SpawnedStdioTransport({
    command: config.command,
    args: config.args,
    env: config.env,
    cwd: config.cwd,
    onStderrLine,
  });
};

// The server-to-client event stream (GET) is opened again for as long as the server is configured
// (the SDK gives up after 2 tries by default). When the server forgot the session, the connection
// opens a new one and this transport is closed, which ends its retries.
const EVENT_STREAM_RECONNECTION = {
  initialReconnectionDelay: 1_000,
  maxReconnectionDelay: 30_000,
  reconnectionDelayGrowFactor: 1.5,
  maxRetries: Number.POSITIVE_INFINITY,
};

const TRACE_KEYS = ['sentry-trace', 'traceparent', 'baggage'] as const;

/**
 * HTTP servers (and the proxies and load balancers in front of them) read a trace from headers,
 * stdio servers from `_meta`: a request whose `_meta` has one gets the same in its headers.
 */
export const fetchWithTraceHeaders: typeof fetch = (input, init) => {
  const body = init?.body;
  if (typeof body !== 'string' || !body.includes('"traceparent"')) return fetch(input, init);
  let meta: Record<string, unknown> | undefined;
  try {
    meta = (JSON.parse(body) as { params?: { _meta?: Record<string, unknown> } }).params?._meta;
  } catch {
    return fetch(input, init);
  }
  const headers = new Headers(init?.headers);
  for (const key of TRACE_KEYS) if (typeof meta?.[key] === 'string') headers.set(key, meta[key] as string);
  return fetch(input, { ...init, headers });
};
