// The aggregated tool list: every ready server's tools under their exposed names, rebuilt when a
// server connects, drops or changes its list. A fingerprint tells whether clients must be told.
import type { DownstreamPool, Tool } from '../../downstream/index.js';
import type { PrefixMode } from '../../config/index.js';
import type { Logger } from '../../shared/logger.js';
import { buildExposedNames, type NamingProblem } from './tool-naming.js';
import { suggestToolNames } from './tool-suggestions.js';

export interface CatalogEntry {
  exposedName: string;
  serverId: string;
  tool: Tool;
}

export class ToolCatalog {
  private entries = new Map<string, CatalogEntry>();
  private listed: Tool[] = [];
  private fingerprint = '';
  /** Problems already told, `server/name`: the catalog rebuilds at every list change. */
  private readonly reported = new Set<string>();

  constructor(
    private readonly pool: DownstreamPool,
    private readonly toPrefixMode: (serverId: string) => PrefixMode,
    private readonly logger: Logger,
  ) {}

  /** Rebuilds from the pool; returns true when what clients see has changed. */
  rebuild(): boolean {
    const items = this.pool
      .list()
      // A restarting server keeps its tools listed: calls wait for it, and clients are spared a
      // list_changed round trip per crash. Only a server pml gave up on disappears.
      .filter((connection) => connection.state !== 'failed' && connection.state !== 'stopped')
      .flatMap((connection) =>
        connection.tools.map((tool) => ({ serverId: connection.id, name: tool.name, tool })),
      );
    const named = buildExposedNames(items, this.toPrefixMode, (problem) => this.report(problem));
    this.entries = new Map(
      [...named].map(([exposedName, item]) => [
        exposedName,
        { exposedName, serverId: item.serverId, tool: item.tool },
      ]),
    );
    this.listed = [...this.entries.values()].map((entry) => ({ ...entry.tool, name: entry.exposedName }));
    const fingerprint = JSON.stringify(this.listed);
    const changed = fingerprint !== this.fingerprint;
    this.fingerprint = fingerprint;
    return changed;
  }

  private report(problem: NamingProblem): void {
    const key = `${problem.serverId}/${problem.name}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.logger.warn(
      `server "${problem.serverId}" lists the tool "${problem.name}" twice; pml exposes the first`,
      {
        server: problem.serverId,
        tool: problem.name,
      },
    );
  }

  find(exposedName: string): CatalogEntry | undefined {
    return this.entries.get(exposedName);
  }

  toEntries(): CatalogEntry[] {
    return [...this.entries.values()];
  }

  toTools(): Tool[] {
    return this.listed;
  }

  /** Close names for an unknown tool, best first: the `<server>__<tool>` shape fixed, or a small edit distance. */
  suggest(unknownName: string): string[] {
    return suggestToolNames(unknownName, [...this.entries.values()]);
  }
}
