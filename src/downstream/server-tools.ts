// A server's tools as pml last listed them: read at connect, read again when the server says its list
// changed (pushed by a 2025 server, or on the subscriptions/listen stream pml opens to a 2026-07-28
// one, since that era tells only the streams clients open).
import type { Client, Tool } from '@modelcontextprotocol/client';
import type { ServerConfig } from '../config/index.js';
import { toErrorMessage } from '../errors/index.js';
import { ERA_PATHS } from './era-paths.js';
import { listAllTools } from './list-all-tools.js';
import type { DownstreamSession } from './open-session.js';
import type { DownstreamEvent } from './types.js';

export interface ServerToolsHooks {
  emit(event: DownstreamEvent): void;
  /** The list changed: the catalog rebuilds. */
  onChanged(): void;
  /** Whether `client` is still the connection's live one (a late answer of an old session is dropped). */
  isCurrent(client: Client): boolean;
  recordError(error: Error): void;
}

export class ServerTools {
  tools: Tool[] = [];

  constructor(
    private readonly config: ServerConfig,
    private readonly hooks: ServerToolsHooks,
  ) {}

  /** Every page of the server's tools/list. */
  async list(client: Client): Promise<Tool[]> {
    const tools = await listAllTools(client, this.config.connectTimeoutMs);
    this.hooks.emit({ type: 'tools_listed', serverId: this.config.id, toolCount: tools.length });
    return tools;
  }

  async refresh(client: Client): Promise<void> {
    if (!this.hooks.isCurrent(client)) return;
    try {
      this.tools = await this.list(client);
      this.hooks.onChanged();
    } catch (error) {
      this.hooks.recordError(new Error(`could not refresh the tool list: ${toErrorMessage(error)}`));
    }
  }

  /** Makes sure the server's list changes reach pml; a failure is reported, not thrown. */
  async watch(session: DownstreamSession): Promise<void> {
    try {
      await ERA_PATHS[session.verdict.era].watchLists(session.client, this.config.connectTimeoutMs);
    } catch (error) {
      if (!this.hooks.isCurrent(session.client)) return;
      const message = `could not subscribe to list changes: ${toErrorMessage(error)}`;
      this.hooks.emit({ type: 'protocol_error', serverId: this.config.id, message });
    }
  }
}
