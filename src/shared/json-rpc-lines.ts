// Newline-delimited JSON-RPC framing shared by our stdio transports: splits a byte stream into
// lines with a size cap, and checks a line's shape cheaply (the SDK's zod parse of every message
// costs more than the rest of a proxy hop).
import type { JSONRPCMessage } from '@modelcontextprotocol/server';

const NEWLINE = 0x0a;
const HEAD_BYTES = 512;

export interface OversizeLine {
  head: string;
  bytes: number;
}

/** Splits chunks into lines; a line longer than `maxLineBytes` is dropped and reported by its head. */
export class LineSplitter {
  private chunks: Buffer[] = [];
  private bufferedBytes = 0;
  private discarding: { head: string; bytes: number } | undefined;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onLine: (line: string) => void,
    private readonly onOversize: (line: OversizeLine) => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      this.take(chunk.subarray(start, end));
      if (newline === -1) return;
      this.finishLine();
      start = newline + 1;
    }
  }

  private take(piece: Buffer): void {
    if (piece.length === 0) return;
    if (this.discarding) {
      this.discarding.bytes += piece.length;
      return;
    }
    if (this.bufferedBytes + piece.length > this.maxLineBytes) {
      const head = Buffer.concat([...this.chunks, piece.subarray(0, HEAD_BYTES)]).toString(
        'utf8',
        0,
        HEAD_BYTES,
      );
      this.discarding = { head, bytes: this.bufferedBytes + piece.length };
      this.chunks = [];
      this.bufferedBytes = 0;
      return;
    }
    // Copy: the caller may reuse the chunk's memory once push returns.
    this.chunks.push(Buffer.from(piece));
    this.bufferedBytes += piece.length;
  }

  private finishLine(): void {
    if (this.discarding) {
      const dropped = this.discarding;
      this.discarding = undefined;
      this.onOversize(dropped);
      return;
    }
    const line =
      this.chunks.length === 1
        ? this.chunks[0]!.toString('utf8')
        : Buffer.concat(this.chunks).toString('utf8');
    this.chunks = [];
    this.bufferedBytes = 0;
    const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (trimmed.trim() !== '') this.onLine(trimmed);
  }
}

export type RequestId = string | number;

export type ParsedLine =
  { message: JSONRPCMessage } | { problem: { code: number; message: string; id: RequestId | null } };

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;

export function parseJsonRpcLine(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      problem: {
        code: PARSE_ERROR,
        message: `Parse error: the message is not valid JSON (${detail})`,
        id: null,
      },
    };
  }
  const problem = findShapeProblem(value);
  if (problem === undefined) return { message: value as JSONRPCMessage };
  const id = isObject(value) && isRequestId(value.id) ? value.id : null;
  return { problem: { code: INVALID_REQUEST, message: `Invalid Request: ${problem}`, id } };
}

function findShapeProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'expected a JSON-RPC 2.0 object (batches are not supported by MCP)';
  if (value.jsonrpc !== '2.0') return '"jsonrpc" must be "2.0"';
  if ('method' in value) {
    if (typeof value.method !== 'string') return '"method" must be a string';
    if ('id' in value && !isRequestId(value.id)) return '"id" must be a string or a number';
    if ('params' in value && value.params !== undefined && !isObject(value.params))
      return '"params" must be an object';
    return undefined;
  }
  if (!isRequestId(value.id)) return 'a response needs a string or number "id"';
  if (!('result' in value) && !('error' in value)) return 'a response needs "result" or "error"';
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRequestId(value: unknown): value is RequestId {
  return typeof value === 'string' || typeof value === 'number';
}

/** Finds the request id at the start of a message too large to parse, so the error reaches its caller. */
export function findRequestIdInHead(head: string): RequestId | null {
  const match = /"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")/.exec(head);
  if (!match?.[1]) return null;
  return match[1].startsWith('"') ? (JSON.parse(match[1]) as string) : Number(match[1]);
}

export function toMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
