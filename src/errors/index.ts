// Public door of the typed errors: one base class with a stable `code`, one subclass per failure family.
export { PML_ERROR_CODES } from './error-codes.js';
export type { PmlErrorCode } from './error-codes.js';
export { PmlError, isPmlError, toErrorMessage } from './pml-error.js';
export type { PmlErrorData } from './pml-error.js';
export { MCPServerError, DownstreamError } from './mcp-server-error.js';
export type {
  MCPServerErrorData,
  MCPServerErrorReason,
  DownstreamErrorData,
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
export {
  CancelledError,
  InvalidParamsError,
  UnsupportedRequestError,
  isCancellation,
} from './request-errors.js';
export type {
  CancelledErrorData,
  InvalidParamsErrorData,
  UnsupportedRequestErrorData,
} from './request-errors.js';
export {
  DAGExecutionError,
  DatabaseError,
  SandboxExecutionError,
  VectorSearchError,
} from './feature-errors.js';
export type {
  DAGExecutionErrorData,
  DatabaseErrorData,
  SandboxExecutionErrorData,
  VectorSearchErrorData,
} from './feature-errors.js';
export { ERROR_ANSWERS, JSON_RPC, toErrorAnswer, toJsonRpcCode } from './error-answers.js';
export type { ErrorAnswer } from './error-answers.js';
