// The gateway's stdio side: JSON-RPC lines on stdin/stdout. Unlike the SDK's StdioServerTransport it
// answers malformed and oversized messages with a JSON-RPC error instead of dropping them, and it
// reports stdin EOF as a close so the gateway can shut down.
import type { Readable, Writable } from 'node:stream';
import type { Transport, JSONRPCMessage } from '@modelcontextprotocol/server';
import {
  INVALID_REQUEST,
  LineSplitter,
  findRequestIdInHead,
  parseJsonRpcLine,
  toMegabytes,
  type RequestId,
} from '../../shared/json-rpc-lines.js';
import { LineWriter } from '../../shared/line-writer.js';

export interface StdioServerTransportOptions {
  stdin: Readable;
  stdout: Writable;
  maxMessageBytes: number;
  onProblem?: (description: string) => void;
}

export class LineStdioServerTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private readonly splitter: LineSplitter;
  private readonly writer = new LineWriter(() => this.options.stdout);
  private closed = false;

  constructor(private readonly options: StdioServerTransportOptions) {
    this.splitter = new LineSplitter(
      options.maxMessageBytes,
      (line) => this.handleLine(line),
      ({ head, bytes }) => {
        const limit = toMegabytes(options.maxMessageBytes);
        const message = `Message too large: ${toMegabytes(bytes)} exceeds the gateway limit of ${limit} (gateway.maxMessageBytes). Send smaller arguments, or raise the limit in pml.config.json.`;
        this.reportProblem(INVALID_REQUEST, message, findRequestIdInHead(head));
      },
    );
  }

  private readonly handleData = (chunk: Buffer) => this.splitter.push(chunk);
  private readonly handleEnd = () => void this.close();
  private readonly handleError = (error: Error) => this.onerror?.(error);

  async start(): Promise<void> {
    this.options.stdin.on('data', this.handleData);
    this.options.stdin.on('end', this.handleEnd);
    this.options.stdin.on('error', this.handleError);
  }

  private handleLine(line: string): void {
    const parsed = parseJsonRpcLine(line);
    if ('message' in parsed) {
      this.onmessage?.(parsed.message);
      return;
    }
    this.reportProblem(parsed.problem.code, parsed.problem.message, parsed.problem.id);
  }

  private reportProblem(code: number, message: string, id: RequestId | null): void {
    this.options.onProblem?.(message);
    void this.send({ jsonrpc: '2.0', id, error: { code, message } } as unknown as JSONRPCMessage);
  }

  send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.writer.write(message);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.options.stdin.off('data', this.handleData);
    this.options.stdin.off('end', this.handleEnd);
    this.options.stdin.off('error', this.handleError);
    this.onclose?.();
  }
}
