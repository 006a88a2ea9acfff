// How pml speaks to a server once its era is known, one row per era: how a forwarded request
// travels, how liveness is checked, how list changes are heard of. A 2025-11-25 server gets pml's
// lean path (DirectRequests: no SDK parse per answer, which was most of a proxy hop's CPU); a
// 2026-07-28 server gets the SDK Client (ModernRequests).
import type { Client, ServerCapabilities } from '@modelcontextprotocol/client';
import type { DirectRequests } from './direct-requests.js';
import type { ProtocolEraName } from './era-verdicts.js';
import type { ForwardedCall, ModernRequests } from './modern-requests.js';

export interface EraSession {
  client: Client;
  direct: DirectRequests;
  modern: ModernRequests;
}

type Result = Record<string, unknown>;

export interface EraPath {
  request(
    session: EraSession,
    request: { method: string; params?: Record<string, unknown> },
    call: ForwardedCall,
  ): Promise<Result>;
  checkAlive(client: Client, timeoutMs: number): Promise<unknown>;
  /** Makes sure the server's list_changed notifications reach the client's handlers. */
  watchLists(client: Client, timeoutMs: number): Promise<unknown>;
}

export const ERA_PATHS: Record<ProtocolEraName, EraPath> = {
  legacy: {
    request: (session, request, { timeoutMs, signal }) => session.direct.request(request, timeoutMs, signal),
    checkAlive: (client, timeoutMs) => client.ping({ timeout: timeoutMs }),
    // A 2025 server pushes its list changes unasked.
    watchLists: async () => undefined,
  },
  modern: {
    request: (session, request, call) => session.modern.request(request, call),
    // 2026-07-28 has no ping; server/discover is the one request every server of that era answers.
    checkAlive: (client, timeoutMs) => client.discover({ timeout: timeoutMs }),
    // A 2026-07-28 server tells only the subscriptions/listen streams clients open; what comes on
    // one goes to the same notification handlers as a legacy server's pushes.
    watchLists: async (client, timeoutMs) => {
      const filter = toListFilter(client.getServerCapabilities());
      return Object.keys(filter).length > 0 ? client.listen(filter, { timeout: timeoutMs }) : undefined;
    },
  },
};

/** The list changes the server says it announces. */
function toListFilter(capabilities: ServerCapabilities | undefined) {
  return {
    ...(capabilities?.tools?.listChanged ? { toolsListChanged: true } : {}),
    ...(capabilities?.prompts?.listChanged ? { promptsListChanged: true } : {}),
    ...(capabilities?.resources?.listChanged ? { resourcesListChanged: true } : {}),
  };
}
