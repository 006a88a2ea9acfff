// The messages between the host, the sandbox's main thread and the worker that runs the code.
// Host ↔ main: JSON lines on the child's stdin and stdout; main ↔ worker: postMessage. The
// in-sandbox scripts import these as types only (erased before Deno sees them).

/** The first line the main thread writes, before any user code exists: `<prefix> <token>`. */
export const READY_PREFIX = 'pml-sandbox-ready';

/** Hex characters of the per-process token that starts every later line (16 random bytes). */
export const TOKEN_HEX_LENGTH = 32;

export interface RunLimits {
  maxToolCalls: number;
  maxOutputBytes: number;
  maxResultBytes: number;
  maxToolArgsBytes: number;
}

export type LogLevel = 'log' | 'info' | 'warn' | 'error' | 'debug';

/** What the code threw or rejected with, as the worker could read it. */
export interface ThrownInfo {
  isError: boolean;
  name?: string | undefined;
  message: string;
  stack?: string | undefined;
}

/**
 * `syntax`: no candidate module parsed; `thrown`: the code threw or rejected; `unhandled`: a promise
 * rejection nobody handled; `uncaught`: an exception in a callback (a timer); `result`: the value
 * cannot go back as JSON; `exit`: the code called Deno.exit or close(); `too_large`: the main thread
 * refused a result over maxResultBytes (the message is its size in bytes).
 */
export type FailKind = 'syntax' | 'thrown' | 'unhandled' | 'uncaught' | 'result' | 'exit' | 'too_large';

export interface RunMessage {
  t: 'run';
  /** Data URLs of the module candidates, tried in order while they fail to parse. */
  modules: string[];
  context: Record<string, unknown>;
  limits: RunLimits;
}

export type ReplyMessage =
  | { t: 'reply'; id: number; ok: true; json?: string | undefined }
  | { t: 'reply'; id: number; ok: false; error: string };

export type HostToSandbox = RunMessage | ReplyMessage;

export interface ToolCallMessage {
  t: 'call';
  id: number;
  name?: string | undefined;
  server?: string | undefined;
  tool?: string | undefined;
  /** The arguments as JSON text, checked by the worker and again by the host. */
  args: string;
}

export type SandboxToHost =
  /** The main thread got the run and hands it to the worker: from here the code may have effects. */
  | { t: 'started' }
  | { t: 'log'; level: LogLevel; text: string; truncated?: boolean | undefined }
  | ToolCallMessage
  /** The code went past maxToolCalls: the refused call was answered inside the sandbox. */
  | { t: 'cap' }
  | { t: 'done'; json?: string | undefined }
  | { t: 'fail'; kind: FailKind; error: ThrownInfo };

export type WorkerToMain = { t: 'ready' } | SandboxToHost;
