// The one place that decides how a failure reaches a client, by the error table in errors/: tool
// failures become `isError` results the model can read and act on; other failures become JSON-RPC
// errors (a server's own JSON-RPC error passes through with its code); anything unexpected is an
// internal error (-32603), never InvalidParams.
import {
  isPmlError,
  toErrorAnswer,
  toErrorMessage,
  toJsonRpcCode,
  type PmlError,
} from '../../errors/index.js';
import type { ToolCallResult } from '../core/tool-invoker.js';

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

export function toJsonRpcError(error: unknown): JsonRpcError {
  if (error instanceof JsonRpcError) return error;
  const code = toJsonRpcCode(error);
  if (!isPmlError(error)) return new JsonRpcError(code, `Internal error in pml: ${toErrorMessage(error)}`);
  if (error.code === 'DOWNSTREAM_ERROR') return new JsonRpcError(code, error.message, error.data.rpcData);
  return new JsonRpcError(code, error.message, toErrorData(error));
}

/** A tools/call failure: an `isError` result when the table says so, otherwise thrown as JSON-RPC. */
export function toToolCallAnswer(error: unknown): ToolCallResult {
  if (!isPmlError(error) || !toErrorAnswer(error).asToolResult) throw toJsonRpcError(error);
  return {
    isError: true,
    content: [{ type: 'text', text: error.message }],
    _meta: { [ERROR_META_KEY]: toErrorData(error) },
  };
}

/** What a client may read of a failure beside its message: the stable code, and what to try instead. */
function toErrorData(error: PmlError) {
  const { suggestions, notReady } = error.data;
  return {
    code: error.code,
    type: error.name,
    ...(Array.isArray(suggestions) ? { suggestions } : {}),
    ...(Array.isArray(notReady) && notReady.length > 0 ? { notReady } : {}),
  };
}
