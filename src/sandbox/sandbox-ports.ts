// What a code run needs of the rest of pml, as ports: the tools it may reach and a way to call
// them (the gateway's ToolInvoker fits), and a person to ask before a tool changes things.
import type { RequestScope } from '../telemetry/index.js';
import type { ToolAnnotations } from './tool-policy.js';

export type ToolCallResult = Record<string, unknown> & { content?: unknown[]; isError?: boolean };

export interface SandboxTool {
  /** The name clients see (`memory__read_graph`). */
  exposedName: string;
  serverId: string;
  /** The tool's own name on its server: `tools.<serverId>.<originalName>` in code. */
  originalName: string;
  description?: string | undefined;
  inputSchema: Record<string, unknown>;
  annotations?: ToolAnnotations | undefined;
}

export interface SandboxTools {
  list(): SandboxTool[];
  invoke(
    exposedName: string,
    args: Record<string, unknown>,
    options: { signal: AbortSignal; scope?: RequestScope | undefined },
  ): Promise<ToolCallResult>;
  /**
   * Asks the person behind the client whether the call may go ahead; undefined when there is no way
   * to ask (the client does not support elicitation, or no client is behind the run).
   */
  askApproval?: ((question: ApprovalQuestion, signal: AbortSignal) => Promise<boolean>) | undefined;
}

export interface ApprovalQuestion {
  tool: SandboxTool;
  args: Record<string, unknown>;
}
