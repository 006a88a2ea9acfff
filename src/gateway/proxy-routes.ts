// Aggregates resources, resource templates and prompts across servers, and remembers which server
// owns which URI or prompt name so reads, subscriptions, prompts/get and completions reach it.
import { ErrorCode, type ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { PrefixMode } from '../config/index.js';
import type { DownstreamConnection, DownstreamPool } from '../downstream/index.js';
import { toErrorMessage } from '../errors/index.js';
import type { Logger } from '../shared/logger.js';
import { buildExposedNames } from './tool-naming.js';
import { JsonRpcError } from './to-tool-result.js';

type Item = Record<string, unknown>;
const LIST_TIMEOUT_MS = 10_000;

export class ProxyRoutes {
  private readonly resourceOwners = new Map<string, string>();
  private templatePrefixes: { prefix: string; serverId: string }[] = [];
  private promptRoutes = new Map<string, { serverId: string; name: string }>();

  constructor(
    private readonly pool: DownstreamPool,
    private readonly toPrefixMode: (serverId: string) => PrefixMode,
    private readonly logger: Logger,
  ) {}

  async listResources(): Promise<Item[]> {
    const found = await this.collect('resources', 'resources/list', 'resources');
    for (const { serverId, item } of found)
      if (typeof item.uri === 'string') this.resourceOwners.set(item.uri, serverId);
    return found.map(({ item }) => item);
  }

  async listResourceTemplates(): Promise<Item[]> {
    const found = await this.collect('resources', 'resources/templates/list', 'resourceTemplates');
    this.templatePrefixes = found
      .filter(({ item }) => typeof item.uriTemplate === 'string')
      .map(({ serverId, item }) => ({ prefix: (item.uriTemplate as string).split('{')[0]!, serverId }))
      .sort((a, b) => b.prefix.length - a.prefix.length);
    return found.map(({ item }) => item);
  }

  async listPrompts(): Promise<Item[]> {
    const found = await this.collect('prompts', 'prompts/list', 'prompts');
    const named = buildExposedNames(
      found.map(({ serverId, item }) => ({ serverId, name: String(item.name), item })),
      this.toPrefixMode,
    );
    this.promptRoutes = new Map(
      [...named].map(([exposed, entry]) => [exposed, { serverId: entry.serverId, name: entry.name }]),
    );
    return [...named].map(([exposed, entry]) => ({ ...entry.item, name: exposed }));
  }

  /** The server owning a URI: listed resources first, then templates, then the only resource server. */
  async findResourceOwner(uri: string): Promise<DownstreamConnection> {
    const known = this.resolveResourceOwner(uri);
    if (known) return known;
    await Promise.all([this.listResources(), this.listResourceTemplates()]);
    const refreshed = this.resolveResourceOwner(uri);
    if (refreshed) return refreshed;
    const candidates = this.usable('resources');
    if (candidates.length === 1) return candidates[0]!;
    throw new JsonRpcError(
      ErrorCode.InvalidParams,
      `No downstream server offers resource "${uri}". Call resources/list to see the URIs pml knows.`,
    );
  }

  private resolveResourceOwner(uri: string): DownstreamConnection | undefined {
    const serverId =
      this.resourceOwners.get(uri) ??
      this.templatePrefixes.find((template) => uri.startsWith(template.prefix))?.serverId;
    return serverId ? this.pool.get(serverId) : undefined;
  }

  async findPrompt(exposedName: string): Promise<{ connection: DownstreamConnection; name: string }> {
    if (!this.promptRoutes.has(exposedName)) await this.listPrompts();
    const route = this.promptRoutes.get(exposedName);
    const connection = route ? this.pool.get(route.serverId) : undefined;
    if (!route || !connection) {
      throw new JsonRpcError(
        ErrorCode.InvalidParams,
        `Unknown prompt "${exposedName}". Call prompts/list to see the available prompts.`,
      );
    }
    return { connection, name: route.name };
  }

  usable(capability: keyof ServerCapabilities): DownstreamConnection[] {
    return this.pool
      .list()
      .filter((connection) => connection.state === 'ready' && connection.capabilities?.[capability]);
  }

  /** Lists every page from every capable server in parallel; a failing server is skipped, not fatal. */
  private async collect(capability: keyof ServerCapabilities, method: string, key: string) {
    const perServer = await Promise.all(
      this.usable(capability).map(async (connection) => {
        try {
          const items: Item[] = [];
          let cursor: unknown;
          do {
            const page = await connection.request(
              { method, params: cursor ? { cursor } : {} },
              { timeoutMs: LIST_TIMEOUT_MS, label: method },
            );
            items.push(...((page[key] as Item[] | undefined) ?? []));
            cursor = page.nextCursor;
          } while (cursor);
          return items.map((item) => ({ serverId: connection.id, item }));
        } catch (error) {
          this.logger.warn(`${method} failed on a server; its items are left out`, {
            server: connection.id,
            error: toErrorMessage(error),
          });
          return [];
        }
      }),
    );
    return perServer.flat();
  }
}
