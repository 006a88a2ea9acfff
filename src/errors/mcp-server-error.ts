// Failures of a downstream MCP server: it could not start, crashed, is down, or broke a call.
import { PmlError } from './pml-error.js';

export type DownstreamTransportKind = 'stdio' | 'http';

export type MCPServerErrorReason =
  'start_failed' | 'command_not_found' | 'crashed' | 'unavailable' | 'call_failed' | 'protocol_error';

export interface MCPServerErrorData {
  [key: string]: unknown;
  serverId: string;
  reason: MCPServerErrorReason;
  transport: DownstreamTransportKind;
  tool?: string;
  exitCode?: number | null;
  signal?: string | null;
  stderrTail?: string;
}

export class MCPServerError extends PmlError<MCPServerErrorData> {
  constructor(message: string, data: MCPServerErrorData, options?: { cause?: unknown }) {
    super('MCP_SERVER_ERROR', message, data, options);
  }
}
