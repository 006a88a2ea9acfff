// Failures of a downstream MCP server: it could not start, crashed, is down, broke a call, or
// answered a call with a JSON-RPC error of its own.
import { PmlError } from './pml-error.js';

export type DownstreamTransportKind = 'stdio' | 'http';

export type MCPServerErrorReason =
  'start_failed' | 'command_not_found' | 'crashed' | 'unavailable' | 'call_failed' | 'protocol_error';

export interface MCPServerErrorData {
  [key: string]: unknown;
  serverId: string;
  reason: MCPServerErrorReason;
  transport: DownstreamTransportKind;
  /** The MCP method of the failed request (tools/call, resources/read, ...), when there was one. */
  operation?: string | undefined;
  /** The tool as the client named it, for tools/call. */
  tool?: string | undefined;
  exitCode?: number | null;
  signal?: string | null;
  stderrTail?: string;
}

export class MCPServerError extends PmlError<MCPServerErrorData> {
  constructor(message: string, data: MCPServerErrorData, options?: { cause?: unknown }) {
    super('MCP_SERVER_ERROR', message, data, options);
  }
}

export interface DownstreamErrorData {
  [key: string]: unknown;
  serverId: string;
  operation: string;
  tool?: string | undefined;
  /** The server's JSON-RPC error, passed on to the client unchanged. */
  rpcCode: number;
  rpcData?: unknown;
}

/** A server answered with a JSON-RPC error: its code, message and data reach the client as they are. */
export class DownstreamError extends PmlError<DownstreamErrorData> {
  constructor(message: string, data: DownstreamErrorData) {
    super('DOWNSTREAM_ERROR', message, data);
  }
}
