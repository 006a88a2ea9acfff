// One place that decides how a failure reaches the client: pml's own typed errors become `isError`
// results the model can read and act on; JSON-RPC errors from a server pass through unchanged;
// anything unexpected is an internal error (-32603), never InvalidParams.
import { ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isPmlError, toErrorMessage } from '../errors/index.js';

export const ERROR_META_KEY = 'dev.pml/error';

/**
 * A JSON-RPC error as the SDK sends it (it reads `code`, `message` and `data`). Not McpError: that
 * class prefixes "MCP error <code>:" to the message, and the client's SDK prefixes it again.
 */
export class JsonRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

const MCP_ERROR_PREFIX = /^(MCP error -?\d+: )+/;

/** A downstream server's JSON-RPC error, passed through with its code, message and data. */
export function toPassThroughError(error: McpError): JsonRpcError {
  return new JsonRpcError(error.code, error.message.replace(MCP_ERROR_PREFIX, ''), error.data);
}

export function toErrorResult(error: unknown): CallToolResult {
  if (error instanceof JsonRpcError) throw error;
  if (error instanceof McpError) throw toPassThroughError(error);
  if (error instanceof Error && error.name === 'AbortError') throw error;
  if (isPmlError(error)) {
    return {
      isError: true,
      content: [{ type: 'text', text: error.message }],
      _meta: { [ERROR_META_KEY]: { code: error.code, type: error.name } },
    };
  }
  throw toInternalError(error);
}

export function toInternalError(error: unknown): JsonRpcError {
  return new JsonRpcError(ErrorCode.InternalError, `Internal error in pml: ${toErrorMessage(error)}`);
}

/** For non-tool requests, where there is no `isError` result: typed errors become JSON-RPC errors. */
export function toJsonRpcError(error: unknown): JsonRpcError {
  if (error instanceof JsonRpcError) return error;
  if (error instanceof McpError) return toPassThroughError(error);
  if (isPmlError(error))
    return new JsonRpcError(ErrorCode.InternalError, error.message, { code: error.code });
  return toInternalError(error);
}
