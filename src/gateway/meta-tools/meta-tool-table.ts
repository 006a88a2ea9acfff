// The table of meta-tools and what each tools mode shows. A mode is usable only when the table has
// the rows it needs, so a mode whose meta-tool does not exist yet is refused, not silently ignored.
import { ConfigError } from '../../errors/index.js';
import { ArgumentValidator } from '../core/argument-validator.js';
import type { ToolCallResult } from '../core/tool-invoker.js';
import type { MetaTool, MetaToolContext, ToolsMode } from './meta-tool.js';

interface ModeShape {
  /** Whether tools/list also shows every proxied downstream tool. */
  listsProxiedTools: boolean;
  /** Meta-tools the mode is made of; without them it cannot work. */
  requires: readonly string[];
}

export const TOOLS_MODE_SHAPES: Record<ToolsMode, ModeShape> = {
  all: { listsProxiedTools: true, requires: [] },
  search: { listsProxiedTools: false, requires: ['search_tools'] },
  code: { listsProxiedTools: false, requires: ['execute_code'] },
};

export class MetaToolTable {
  private readonly rows: Map<string, MetaTool>;
  private readonly validator = new ArgumentValidator();

  constructor(rows: MetaTool[]) {
    this.rows = new Map(rows.map((row) => [row.tool.name, row]));
  }

  find(name: string): MetaTool | undefined {
    return this.rows.get(name);
  }

  /** Runs a row with arguments checked against its input schema, as a proxied tool's are. */
  call(row: MetaTool, args: Record<string, unknown>, context: MetaToolContext): Promise<ToolCallResult> {
    if (!row.checksOwnArguments) this.validator.assertFits(row.tool.name, row.tool.inputSchema, args);
    return row.handle(args, context);
  }

  async close(): Promise<void> {
    await Promise.all([...this.rows.values()].map((row) => row.close?.()));
  }

  /** The meta-tools a mode lists, in table order. */
  listFor(mode: ToolsMode): MetaTool[] {
    return [...this.rows.values()].filter((row) => row.modes.includes(mode));
  }

  /** Throws a ConfigError naming what is missing when `mode` needs a meta-tool this pml lacks. */
  assertModeAvailable(mode: ToolsMode, source: string): void {
    const missing = TOOLS_MODE_SHAPES[mode].requires.filter((name) => !this.rows.has(name));
    if (missing.length === 0) return;
    const message = `gateway.toolsMode "${mode}" needs the ${missing.join(', ')} meta-tool, which this version of pml does not have yet. Use "all" (the default) for now.`;
    throw new ConfigError(`Invalid configuration in ${source}:\n  - gateway.toolsMode: ${message}`, {
      source,
      issues: [{ path: 'gateway.toolsMode', message }],
    });
  }
}
