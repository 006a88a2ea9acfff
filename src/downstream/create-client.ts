// The SDK Client pml opens for one connect to a server: it negotiates the era (probing with
// `server/discover` unless a verdict is handed to connect), forwards what the server asks of the
// client, and passes the server's notifications on.
import { Client } from '@modelcontextprotocol/client';
import { toErrorMessage, toJsonRpcCode } from '../errors/index.js';
import { PML_VERSION } from '../shared/version.js';
import { withMeta } from './progress-router.js';
import type { DownstreamHandlers } from './types.js';

// What a server may ask of the client behind pml (forwarded to it). A 2026-07-28 server asks the
// same things inside `input_required` results, and the SDK fulfils them through these handlers.
const SERVER_REQUEST_METHODS = ['sampling/createMessage', 'elicitation/create', 'roots/list'] as const;

/**
 * The key a 2026-07-28 server gave a request in its `inputRequests`, carried in the request's
 * `_meta`: a 2026-07-28 client in front is then asked under the same key (a 2025 server may set it
 * itself to choose one).
 */
export const INPUT_KEY_META = 'dev.pml/input-key';

export interface ClientOptions {
  serverId: string;
  handlers: DownstreamHandlers;
  /** Bounds the `server/discover` probe: a server answers it as soon as it answers at all. */
  probeTimeoutMs: number;
  /** A server the config pins to 2026-07-28: probed, never spoken to in 2025-11-25. */
  pinnedModern: boolean;
  onToolListChanged(client: Client): void;
}

export function createDownstreamClient(options: ClientOptions): Client {
  const { serverId, handlers } = options;
  const client = new Client(
    { name: 'pml', version: PML_VERSION },
    {
      capabilities: { sampling: {}, elicitation: {}, roots: { listChanged: true } },
      versionNegotiation: {
        mode: options.pinnedModern ? { pin: '2026-07-28' } : 'auto',
        probe: { timeoutMs: options.probeTimeoutMs },
      },
    },
  );
  client.setNotificationHandler('notifications/tools/list_changed', () => options.onToolListChanged(client));
  client.fallbackNotificationHandler = async (notification) =>
    handlers.onNotification(serverId, notification);
  for (const method of SERVER_REQUEST_METHODS) {
    client.setRequestHandler(method, async (request, ctx) => {
      // On a 2026-07-28 connection the SDK is fulfilling an input_required round: the id is the key.
      const forwarded =
        client.getProtocolEra() === 'modern'
          ? withMeta(request, { [INPUT_KEY_META]: String(ctx.mcpReq.id) })
          : request;
      try {
        return (await handlers.onServerRequest(serverId, forwarded, ctx.mcpReq.signal)) as never;
      } catch (error) {
        // The server gets a JSON-RPC code it understands (method not found when no client can
        // answer). Not McpError, which would prefix "MCP error <code>:" to a message the server's
        // own SDK prefixes again.
        throw Object.assign(new Error(toErrorMessage(error)), { code: toJsonRpcCode(error) });
      }
    });
  }
  return client;
}
