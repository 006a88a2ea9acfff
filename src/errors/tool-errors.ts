// Errors about a tool call itself, before it reaches a server: the tool does not exist or the
// arguments do not fit its input schema.
import { PmlError } from './pml-error.js';

export interface ToolNotFoundErrorData {
  [key: string]: unknown;
  tool: string;
  operation: string;
  /** The names the caller most likely meant, best first. */
  suggestions: string[];
  /** Servers not ready when the name was looked up: the tool may be one of theirs. */
  notReady?: { server: string; state: string; since: string }[] | undefined;
}

export class ToolNotFoundError extends PmlError<ToolNotFoundErrorData> {
  constructor(message: string, data: ToolNotFoundErrorData) {
    super('TOOL_NOT_FOUND', message, data);
  }
}

export interface InvalidArgumentsErrorData {
  [key: string]: unknown;
  tool: string;
  operation: string;
  serverId?: string;
  problems: string[];
}

export class InvalidArgumentsError extends PmlError<InvalidArgumentsErrorData> {
  constructor(message: string, data: InvalidArgumentsErrorData) {
    super('INVALID_ARGUMENTS', message, data);
  }
}

export interface ToolExecutionErrorData {
  [key: string]: unknown;
  tool: string;
  serverId?: string | undefined;
}

/** A tool that answered with `isError`; raised as an issue only when telemetry.captureToolErrors is on. */
export class ToolExecutionError extends PmlError<ToolExecutionErrorData> {
  constructor(message: string, data: ToolExecutionErrorData) {
    super('TOOL_RESULT_ERROR', message, data);
  }
}
