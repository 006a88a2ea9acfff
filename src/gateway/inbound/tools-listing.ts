// What tools/list shows in the configured tools mode: the meta-tools of that mode from the table,
// then, in `all` mode, every proxied tool.
import type { ToolsMode } from '../../config/index.js';
import type { Tool } from '../../downstream/index.js';
import type { GatewayCore } from '../core/gateway-core.js';
import type { MetaToolTable } from '../meta-tools/meta-tool-table.js';
import { TOOLS_MODE_SHAPES } from '../meta-tools/meta-tool-table.js';

export interface ToolsListing {
  readonly mode: ToolsMode;
  list(): Promise<Tool[]>;
}

export function createToolsListing(
  core: GatewayCore,
  metaTools: MetaToolTable,
  mode: ToolsMode,
): ToolsListing {
  const shape = TOOLS_MODE_SHAPES[mode];
  return {
    mode,
    async list() {
      const rows = metaTools.listFor(mode);
      // A row that describes the catalog (execute_code) needs the servers as much as `all` mode does.
      if (shape.listsProxiedTools || rows.some((row) => row.describe)) await core.waitForStartup();
      const own = rows.map((row) => row.describe?.(mode) ?? row.tool);
      return shape.listsProxiedTools ? [...own, ...core.listTools()] : own;
    },
  };
}
