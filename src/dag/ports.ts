// What a workflow needs of the rest of pml, as ports: a way to look a tool up and call it (the
// gateway's ToolInvoker fits), and telemetry. dag/ never imports the gateway.
import type { RequestScope, Telemetry } from '../telemetry/index.js';

export type ProgressListener = (progress: { progress: number; total?: number; message?: string }) => void;

export type TaskResult = Record<string, unknown> & { content?: unknown[]; isError?: boolean };

export interface WorkflowTool {
  /** The server the tool lives on: the unit of the per-server concurrency cap. */
  serverId: string;
  /** Schema problems of `args` as readable lines; empty when they fit. */
  problemsWith(args: Record<string, unknown>): string[];
}

export interface WorkflowTools {
  /** The tool under its exposed name, or undefined when no server has it. */
  lookup(name: string): Promise<WorkflowTool | undefined>;
  /** One call, with the ToolInvoker's typed errors (TimeoutError, CancelledError, ...). */
  invoke(
    name: string,
    args: Record<string, unknown>,
    options: { signal: AbortSignal; timeoutMs?: number | undefined; scope?: RequestScope | undefined },
  ): Promise<TaskResult>;
}

export interface WorkflowRunContext {
  signal: AbortSignal;
  /** Per-task progress, when the client asked for it. */
  onProgress?: ProgressListener | undefined;
  /** The request the workflow serves: its spans nest under it. */
  scope?: RequestScope | undefined;
}

export interface WorkflowDeps {
  tools: WorkflowTools;
  telemetry: Telemetry;
}
