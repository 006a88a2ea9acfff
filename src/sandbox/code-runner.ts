// The CodeRunner port: runs a few lines of agent-written TypeScript that call tools and returns only
// what matters. Types only; the Deno subprocess runner in deno/ is the implementation.

/** One tool call made by the code: `tools.call(name, args)` or `tools.<server>.<tool>(args)`. */
export interface ToolCallRequest {
  /** `tools.call(name, args)` */
  name?: string;
  /** `tools.<server>.<tool>(args)` */
  server?: string;
  tool?: string;
  args: Record<string, unknown>;
}

export interface CodeRunRequest {
  /** TypeScript or JavaScript, top-level await allowed. */
  code: string;
  /** JSON values, visible to the code as read-only variables of the same names. */
  context?: Record<string, unknown>;
  /** Wall clock, enforced by the host (the sandbox process is killed). */
  timeoutMs: number;
  /** Called for every tool call the code makes; its result (any JSON) or its thrown error's message goes back into the code. */
  callTool(request: ToolCallRequest, signal: AbortSignal): Promise<unknown>;
  /** The client cancelled: kill the run. */
  signal?: AbortSignal;
}

export type CodeLogLevel = 'log' | 'info' | 'warn' | 'error' | 'debug';

export interface CodeLog {
  level: CodeLogLevel;
  text: string;
}

export interface CodeRunResult {
  /**
   * The returned value as JSON (`return …`, or the last expression statement's value when the code
   * ends without reaching a `return`); `undefined` when the code returns nothing.
   */
  value: unknown;
  logs: CodeLog[];
  logsTruncated: boolean;
  toolCalls: number;
  durationMs: number;
}

export interface CodeRunner {
  /** Throws `SandboxExecutionError`, `TimeoutError` (operation `execute_code`) or `CancelledError`. */
  run(request: CodeRunRequest): Promise<CodeRunResult>;
  /** Stops every sandbox process; idempotent. Runs in flight fail as cancelled. */
  close(): Promise<void>;
}
