// Names a failure for the `error_type` label with few, stable values: OpenTelemetry's MCP conventions
// use the JSON-RPC code for protocol errors and `tool_error` for an `isError` result; pml's own
// errors use their stable code.
import { DownstreamError, MCPServerError, isCancellation, isPmlError } from '../errors/index.js';

export const TOOL_ERROR = 'tool_error';

export function toErrorType(error: unknown): string {
  if (isCancellation(error)) return 'cancelled';
  if (error instanceof MCPServerError) return `server_${error.data.reason}`;
  if (error instanceof DownstreamError) return String(error.data.rpcCode);
  if (isPmlError(error)) return error.code.toLowerCase();
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'number' && Number.isInteger(code)) return String(code);
  return '_OTHER';
}
