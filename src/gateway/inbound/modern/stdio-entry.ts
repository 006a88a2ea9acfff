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
import { holdListenResources } from './listen-resources.js';
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
      // Resource updates a listen stream asks for: subscribed while that request is open.
      const listens = new Map<unknown, () => void>();
      replaying.onInbound((message) => {
        const { id, method, params } = message as {
          id?: unknown;
          method?: unknown;
          params?: { requestId?: unknown };
        };
        if (method === 'notifications/cancelled') {
          listens.get(params?.requestId)?.();
          listens.delete(params?.requestId);
        }
        const resources = holdListenResources(services.core.routes, message, services.core.logger);
        if (resources) listens.set(id, () => resources.release());
        return resources?.ready;
      });
      replaying.onClosed(() => {
        services.core.clients.remove(feed);
        for (const release of listens.values()) release();
      });
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
  private inboundListener: ((message: JSONRPCMessage) => Promise<unknown> | undefined) | undefined;
  // What arrives before the new owner has started waits here: a client may pipeline its requests.
  private early: Parameters<NonNullable<Transport['onmessage']>>[] | undefined = [];
  // Messages reach the owner in order; one the listener is preparing for holds back those after it
  // (until then, and after, they are delivered at once).
  private held: Promise<unknown> | undefined;

  constructor(
    private readonly inner: Transport,
    private readonly first: JSONRPCMessage,
  ) {
    inner.onmessage = (message, extra) => {
      if (this.early) this.early.push([message, extra]);
      else this.receive(message, extra);
    };
    inner.onclose = () => {
      for (const listener of this.closeListeners) listener();
      this.onclose?.();
    };
    inner.onerror = (error) => this.onerror?.(error);
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  /** Sees each message after the opening one, before its new owner does (and may make it wait). */
  onInbound(listener: (message: JSONRPCMessage) => Promise<unknown> | undefined): void {
    this.inboundListener = listener;
  }

  onClosed(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  // The inner transport is already reading; the opening message (then anything that came after it)
  // is delivered once the owner listens.
  async start(): Promise<void> {
    queueMicrotask(() => {
      const early = this.early ?? [];
      this.early = undefined;
      this.onmessage?.(this.first);
      for (const [message, extra] of early) this.receive(message, extra);
    });
  }

  private receive(...[message, extra]: Parameters<NonNullable<Transport['onmessage']>>): void {
    const preparing = this.inboundListener?.(message);
    if (!preparing && !this.held) return this.onmessage?.(message, extra);
    const held: Promise<unknown> = Promise.all([this.held, preparing]).then(() => {
      this.onmessage?.(message, extra);
      if (this.held === held) this.held = undefined;
    });
    this.held = held;
  }

  send(...args: Parameters<Transport['send']>): Promise<void> {
    return this.inner.send(...args);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
