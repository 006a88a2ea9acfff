// Both eras on one stdio connection: the opening message decides. `initialize` (or anything without
// a 2026-07-28 claim) starts a legacy session exactly as before; `server/discover` or an enveloped
// request hands the connection to the SDK's stdio entry, pinned to 2026-07-28, with pml's handlers.
import {
  PROTOCOL_VERSION_META_KEY,
  type JSONRPCMessage,
  type Server,
  type Transport,
} from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { GatewaySession, type GatewayServices } from '../session.js';
import { ChangeFeed } from './change-feed.js';
import { createModernServerFactory } from './modern-server.js';

export function isModernOpening(message: JSONRPCMessage): boolean {
  const { method, params } = message as { method?: unknown; params?: { _meta?: Record<string, unknown> } };
  if (method === 'server/discover') return true;
  return method !== 'initialize' && typeof params?._meta?.[PROTOCOL_VERSION_META_KEY] === 'string';
}

/** Serves one stdio connection in the era its first message asks for; resolves once it is decided. */
export function serveStdioEitherEra(services: GatewayServices, transport: Transport): Promise<void> {
  return new Promise((resolve, reject) => {
    transport.onmessage = (first) => {
      const replaying = new ReplayingTransport(transport, first);
      if (!isModernOpening(first)) {
        new GatewaySession(services, 'stdio').connect(replaying).then(resolve, reject);
        return;
      }
      const factory = createModernServerFactory(services, 'stdio', services.requestStateSeal);
      let pinned: Server | undefined;
      const feed = new ChangeFeed({
        toolsChanged: () => void pinned?.sendToolListChanged().catch(() => {}),
        promptsChanged: () => void pinned?.sendPromptListChanged().catch(() => {}),
        resourcesChanged: () => void pinned?.sendResourceListChanged().catch(() => {}),
        resourceUpdated: (uri) => void pinned?.sendResourceUpdated({ uri }).catch(() => {}),
      });
      services.core.clients.add(feed);
      replaying.onClosed(() => services.core.clients.remove(feed));
      serveStdio(
        async (context) => {
          const server = (await factory(context)) as Server;
          if (context.era === 'modern') pinned = server;
          return server;
        },
        { legacy: 'reject', transport: replaying },
      );
      resolve();
    };
    transport.start().catch(reject);
  });
}

/** Hands the already-read opening message to the new owner of the transport, then steps aside. */
class ReplayingTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport['onmessage'];
  private readonly closeListeners: (() => void)[] = [];

  constructor(
    private readonly inner: Transport,
    private readonly first: JSONRPCMessage,
  ) {
    inner.onmessage = (message, extra) => this.onmessage?.(message, extra);
    inner.onclose = () => {
      for (const listener of this.closeListeners) listener();
      this.onclose?.();
    };
    inner.onerror = (error) => this.onerror?.(error);
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  onClosed(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  // The inner transport is already reading; the opening message is delivered once the owner listens.
  async start(): Promise<void> {
    queueMicrotask(() => this.onmessage?.(this.first));
  }

  send(...args: Parameters<Transport['send']>): Promise<void> {
    return this.inner.send(...args);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
