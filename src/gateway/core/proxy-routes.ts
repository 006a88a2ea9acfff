// Everything a client asks of servers besides tools: aggregated resources, resource templates and
// prompts, and the routes that send a read, a subscription, a prompts/get or a completion to the
// server that owns the URI or prompt name.
import type { ServerCapabilities } from '@modelcontextprotocol/server';
import type { PrefixMode } from '../../config/index.js';
import type { DownstreamPool } from '../../downstream/index.js';
import { InvalidParamsError, toErrorMessage } from '../../errors/index.js';
import type { Logger } from '../../shared/logger.js';
import type { RequestScope } from '../../telemetry/index.js';
import type { DownstreamSender } from './downstream-sender.js';
import { buildExposedNames } from './tool-naming.js';

type Item = Record<string, unknown>;
type Params = Record<string, unknown>;
type Result = Promise<Record<string, unknown>>;
const LIST_TIMEOUT_MS = 10_000;

export class ProxyRoutes {
  private readonly resourceOwners = new Map<string, string>();
  private templatePrefixes: { prefix: string; serverId: string }[] = [];
  private promptRoutes = new Map<string, { serverId: string; name: string }>();
  private readonly subscriptions = new Map<string, { serverId: string; clients: Set<string> }>();

  constructor(
    private readonly pool: DownstreamPool,
    private readonly send: DownstreamSender,
    private readonly toPrefixMode: (serverId: string) => PrefixMode,
    private readonly logger: Logger,
  ) {}

  async listResources(scope?: RequestScope): Promise<Item[]> {
    const found = await this.collect('resources', 'resources/list', 'resources', scope);
    for (const { serverId, item } of found)
      if (typeof item.uri === 'string') this.resourceOwners.set(item.uri, serverId);
    return found.map(({ item }) => item);
  }

  async listResourceTemplates(scope?: RequestScope): Promise<Item[]> {
    const found = await this.collect('resources', 'resources/templates/list', 'resourceTemplates', scope);
    this.templatePrefixes = found
      .filter(({ item }) => typeof item.uriTemplate === 'string')
      .map(({ serverId, item }) => ({ prefix: (item.uriTemplate as string).split('{')[0]!, serverId }))
      .sort((a, b) => b.prefix.length - a.prefix.length);
    return found.map(({ item }) => item);
  }

  async listPrompts(scope?: RequestScope): Promise<Item[]> {
    const found = await this.collect('prompts', 'prompts/list', 'prompts', scope);
    const named = buildExposedNames(
      found.map(({ serverId, item }) => ({ serverId, name: String(item.name), item })),
      this.toPrefixMode,
    );
    this.promptRoutes = new Map(
      [...named].map(([exposed, entry]) => [exposed, { serverId: entry.serverId, name: entry.name }]),
    );
    return [...named].map(([exposed, entry]) => ({ ...entry.item, name: exposed }));
  }

  async readResource(
    params: { uri: string } & Params,
    signal: AbortSignal,
    scope?: RequestScope,
    clientId?: string,
  ): Result {
    const serverId = await this.findResourceOwner(params.uri, 'resources/read');
    return this.send(
      serverId,
      { method: 'resources/read', params },
      { signal, target: params.uri, parent: scope, clientId },
    );
  }

  /**
   * Subscriptions are shared: the server is asked once per URI, however many clients watch it,
   * and told to stop only when the last one unsubscribes or leaves.
   */
  async subscribe(params: { uri: string } & Params, clientId: string, scope?: RequestScope): Result {
    const known = this.subscriptions.get(params.uri);
    if (known) {
      known.clients.add(clientId);
      return {};
    }
    const serverId = await this.findResourceOwner(params.uri, 'resources/subscribe');
    const result = await this.send(serverId, { method: 'resources/subscribe', params }, { parent: scope });
    const entry = this.subscriptions.get(params.uri) ?? { serverId, clients: new Set<string>() };
    entry.clients.add(clientId);
    this.subscriptions.set(params.uri, entry);
    return result;
  }

  async unsubscribe(params: { uri: string } & Params, clientId: string, scope?: RequestScope): Result {
    const entry = this.subscriptions.get(params.uri);
    if (!entry) {
      const serverId = await this.findResourceOwner(params.uri, 'resources/unsubscribe');
      return this.send(serverId, { method: 'resources/unsubscribe', params }, { parent: scope });
    }
    entry.clients.delete(clientId);
    if (entry.clients.size > 0) return {};
    this.subscriptions.delete(params.uri);
    return this.send(entry.serverId, { method: 'resources/unsubscribe', params }, { parent: scope });
  }

  /** A client left: its subscriptions end, and the server hears of those nobody else holds. */
  releaseClient(clientId: string): void {
    for (const [uri, entry] of this.subscriptions) {
      if (!entry.clients.delete(clientId) || entry.clients.size > 0) continue;
      this.subscriptions.delete(uri);
      void this.send(entry.serverId, { method: 'resources/unsubscribe', params: { uri } }).catch(() => {});
    }
  }

  /** A server that restarted forgot its subscriptions: ask again for what clients still watch. */
  async resubscribe(serverId: string): Promise<void> {
    const uris = [...this.subscriptions]
      .filter(([, entry]) => entry.serverId === serverId)
      .map(([uri]) => uri);
    await Promise.all(
      uris.map((uri) =>
        this.send(serverId, { method: 'resources/subscribe', params: { uri } }).catch((error: unknown) =>
          this.logger.warn('could not renew a resource subscription after a restart', {
            server: serverId,
            error: toErrorMessage(error),
          }),
        ),
      ),
    );
  }

  async getPrompt(
    params: { name: string } & Params,
    signal: AbortSignal,
    scope?: RequestScope,
    clientId?: string,
  ): Result {
    const route = await this.findPrompt(params.name, 'prompts/get');
    return this.send(
      route.serverId,
      { method: 'prompts/get', params: { ...params, name: route.name } },
      { signal, target: route.name, parent: scope, clientId },
    );
  }

  async complete(
    params: { ref: { type: 'ref/prompt'; name: string } | { type: 'ref/resource'; uri: string } } & Params,
    signal: AbortSignal,
    scope?: RequestScope,
  ): Result {
    const method = 'completion/complete';
    const ref = params.ref;
    if (ref.type === 'ref/prompt') {
      const route = await this.findPrompt(ref.name, method);
      return this.send(
        route.serverId,
        { method, params: { ...params, ref: { ...ref, name: route.name } } },
        { signal, parent: scope },
      );
    }
    return this.send(
      await this.findResourceOwner(ref.uri, method),
      { method, params },
      { signal, parent: scope },
    );
  }

  /** Tells every server that logs the client's level; a server that refuses keeps its own. */
  async setLogLevel(params: { level: string }, scope?: RequestScope): Promise<void> {
    await Promise.all(
      this.usable('logging').map((serverId) =>
        this.send(serverId, { method: 'logging/setLevel', params }, { parent: scope }).catch(() => undefined),
      ),
    );
  }

  /** A client's notification (roots/list_changed) for every connected server. */
  broadcast(notification: { method: string; params?: Params }): void {
    for (const connection of this.pool.list()) void connection.notify(notification);
  }

  /** The server owning a URI: listed resources first, then templates, then the only resource server. */
  private async findResourceOwner(uri: string, method: string): Promise<string> {
    const known = this.resolveResourceOwner(uri);
    if (known) return known;
    await Promise.all([this.listResources(), this.listResourceTemplates()]);
    const refreshed = this.resolveResourceOwner(uri);
    if (refreshed) return refreshed;
    const candidates = this.usable('resources');
    if (candidates.length === 1) return candidates[0]!;
    throw new InvalidParamsError(
      `No downstream server offers resource "${uri}". Call resources/list to see the URIs pml knows.`,
      { method, path: 'uri' },
    );
  }

  private resolveResourceOwner(uri: string): string | undefined {
    return (
      this.resourceOwners.get(uri) ??
      this.templatePrefixes.find((template) => uri.startsWith(template.prefix))?.serverId
    );
  }

  private async findPrompt(exposedName: string, method: string): Promise<{ serverId: string; name: string }> {
    if (!this.promptRoutes.has(exposedName)) await this.listPrompts();
    const route = this.promptRoutes.get(exposedName);
    if (route) return route;
    throw new InvalidParamsError(
      `Unknown prompt "${exposedName}". Call prompts/list to see the available prompts.`,
      { method, path: 'name' },
    );
  }

  private usable(capability: keyof ServerCapabilities): string[] {
    return this.pool
      .list()
      .filter((connection) => connection.state === 'ready' && connection.capabilities?.[capability])
      .map((connection) => connection.id);
  }

  /** Lists every page from every capable server in parallel; a failing server is skipped, not fatal. */
  private async collect(
    capability: keyof ServerCapabilities,
    method: string,
    key: string,
    scope?: RequestScope,
  ) {
    const perServer = await Promise.all(
      this.usable(capability).map(async (serverId) => {
        try {
          const items: Item[] = [];
          let cursor: unknown;
          do {
            const page = await this.send(
              serverId,
              { method, params: cursor ? { cursor } : {} },
              { timeoutMs: LIST_TIMEOUT_MS, parent: scope },
            );
            items.push(...((page[key] as Item[] | undefined) ?? []));
            cursor = page.nextCursor;
          } while (cursor);
          return items.map((item) => ({ serverId, item }));
        } catch (error) {
          this.logger.warn(`${method} failed on a server; its items are left out`, {
            server: serverId,
            error: toErrorMessage(error),
          });
          return [];
        }
      }),
    );
    return perServer.flat();
  }
}
