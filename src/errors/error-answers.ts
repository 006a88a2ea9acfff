// How each kind of failure is answered, one row per PmlErrorCode: the JSON-RPC code it gets, whether
// a tools/call answers it as an `isError` result the model can read instead, and whether it is a
// Sentry issue. The gateway's inbound error mapping and the downstream side both read this table.
import type { PmlErrorCode } from './error-codes.js';
import { isPmlError } from './pml-error.js';

export const JSON_RPC = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  requestTimeout: -32001,
} as const;

export interface ErrorAnswer {
  jsonRpcCode: number;
  /** tools/call answers with `isError: true` and the message, so the model can act on it. */
  asToolResult: boolean;
  /** Raised as a Sentry issue (with its context); the caller's own mistakes and cancellations are not. */
  capture: boolean;
}

export const ERROR_ANSWERS: Record<PmlErrorCode, ErrorAnswer> = {
  CONFIG_INVALID: { jsonRpcCode: JSON_RPC.internalError, asToolResult: false, capture: true },
  INVALID_PARAMS: { jsonRpcCode: JSON_RPC.invalidParams, asToolResult: false, capture: false },
  TOOL_NOT_FOUND: { jsonRpcCode: JSON_RPC.invalidParams, asToolResult: false, capture: true },
  INVALID_ARGUMENTS: { jsonRpcCode: JSON_RPC.invalidParams, asToolResult: true, capture: true },
  TOOL_RESULT_ERROR: { jsonRpcCode: JSON_RPC.internalError, asToolResult: true, capture: true },
  MCP_SERVER_ERROR: { jsonRpcCode: JSON_RPC.internalError, asToolResult: true, capture: true },
  // The server's own code replaces this one (see toJsonRpcCode).
  DOWNSTREAM_ERROR: { jsonRpcCode: JSON_RPC.internalError, asToolResult: false, capture: true },
  TIMEOUT: { jsonRpcCode: JSON_RPC.requestTimeout, asToolResult: true, capture: true },
  CANCELLED: { jsonRpcCode: JSON_RPC.requestTimeout, asToolResult: false, capture: false },
  UNSUPPORTED_REQUEST: { jsonRpcCode: JSON_RPC.methodNotFound, asToolResult: false, capture: false },
  // A workflow that fails validation is the caller's to fix: the model reads which task and why.
  DAG_EXECUTION_FAILED: { jsonRpcCode: JSON_RPC.invalidParams, asToolResult: true, capture: true },
  DATABASE_ERROR: { jsonRpcCode: JSON_RPC.internalError, asToolResult: true, capture: true },
  VECTOR_SEARCH_FAILED: { jsonRpcCode: JSON_RPC.internalError, asToolResult: true, capture: true },
  // Agent code that throws or breaks a limit: the model reads why and fixes its code.
  SANDBOX_EXECUTION_FAILED: { jsonRpcCode: JSON_RPC.internalError, asToolResult: true, capture: true },
};

const UNEXPECTED: ErrorAnswer = { jsonRpcCode: JSON_RPC.internalError, asToolResult: false, capture: true };

/** The row for any thrown value: unexpected errors are internal errors (-32603), never InvalidParams. */
export function toErrorAnswer(error: unknown): ErrorAnswer {
  return isPmlError(error) ? ERROR_ANSWERS[error.code] : UNEXPECTED;
}

export function toJsonRpcCode(error: unknown): number {
  if (isPmlError(error) && error.code === 'DOWNSTREAM_ERROR' && typeof error.data.rpcCode === 'number')
    return error.data.rpcCode;
  return toErrorAnswer(error).jsonRpcCode;
}
