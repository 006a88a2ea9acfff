// Public door of the typed errors: one base class with a stable `code`, one subclass per failure family.
export { PmlError, isPmlError, toErrorMessage } from './pml-error.js';
export type { PmlErrorData } from './pml-error.js';
export { MCPServerError } from './mcp-server-error.js';
export type {
  MCPServerErrorData,
  MCPServerErrorReason,
  DownstreamTransportKind,
} from './mcp-server-error.js';
export { TimeoutError } from './timeout-error.js';
export type { TimeoutErrorData } from './timeout-error.js';
export { ConfigError } from './config-error.js';
export type { ConfigErrorData } from './config-error.js';
export { ToolNotFoundError, InvalidArgumentsError, ToolExecutionError } from './tool-errors.js';
export type {
  ToolNotFoundErrorData,
  InvalidArgumentsErrorData,
  ToolExecutionErrorData,
} from './tool-errors.js';
