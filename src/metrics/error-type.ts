// Names a failure for the `error_type` label with few, stable values: OpenTelemetry's MCP conventions
// use the JSON-RPC code for protocol errors and `tool_error` for an `isError` result.
import { MCPServerError, TimeoutError } from '../errors/index.js';

export const TOOL_ERROR = 'tool_error';

export function toErrorType(error: unknown): string {
  if (error instanceof TimeoutError) return 'timeout';
  if (error instanceof MCPServerError) return `server_${error.data.reason}`;
  if (error instanceof Error && error.name === 'AbortError') return 'cancelled';
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'number' && Number.isInteger(code)) return String(code);
  return '_OTHER';
}
