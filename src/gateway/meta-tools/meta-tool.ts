// A meta-tool is a row: pml's own tool with its name, description, input schema and handler. The
// rows form one table that tools/list, tools/call and the toolsMode filter all read.
import type { ToolsMode } from '../../config/index.js';
import type { ProgressListener, Tool } from '../../downstream/index.js';
import type { Caller } from '../core/caller.js';
import type { RequestScope } from '../../telemetry/index.js';
import type { ToolCallResult } from '../core/tool-invoker.js';

export type { ToolsMode };

export interface MetaToolContext {
  signal: AbortSignal;
  caller: Caller;
  onProgress?: ProgressListener | undefined;
  meta?: Record<string, unknown> | undefined;
  /** The request's telemetry scope: a meta-tool's own spans and the tool calls it makes nest under it. */
  scope: RequestScope;
}

export interface MetaTool {
  /** The definition clients see in tools/list. */
  tool: Tool;
  /** `pml.operation` of its requests (the ADR's transaction name), e.g. mcp.gateway_status. */
  operation: string;
  /** The tools modes whose tools/list shows it. */
  modes: readonly ToolsMode[];
  /** Skips the table's JSON Schema check: the handler validates, with errors more precise than it. */
  checksOwnArguments?: boolean;
  handle(args: Record<string, unknown>, context: MetaToolContext): Promise<ToolCallResult>;
  /** The definition as of now in `mode`, for a row whose description follows the catalog (execute_code's). */
  describe?(mode: ToolsMode): Tool;
  /** Releases what the row holds (execute_code's Deno processes). */
  close?(): Promise<void>;
}
