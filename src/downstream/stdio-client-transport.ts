// Spawns a stdio MCP server and speaks JSON-RPC lines with it. Ours rather than the SDK's because the
// pool needs the exit code and the last lines of stderr to explain a crash, and a close that does
// not wait two seconds before it signals the child.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Transport, JSONRPCMessage } from '@modelcontextprotocol/client';
import { getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { LineSplitter, parseJsonRpcLine, toMegabytes } from '../shared/json-rpc-lines.js';
import { LineWriter } from '../shared/line-writer.js';
import { trackChild, untrackChild } from './child-registry.js';

const STDERR_TAIL_BYTES = 2048;
const TERM_GRACE_MS = 1000;
// The SDK's servers accept 10 MiB lines; we read a bit more so a large but legal answer passes.
const MAX_LINE_BYTES = 64 * 1024 * 1024;

export interface StdioClientTransportOptions {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string | undefined;
  onStderrLine?: (line: string) => void;
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class SpawnedStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private child: ChildProcess | undefined;
  private readonly writer = new LineWriter(() => this.child?.stdin ?? undefined);
  private stderrTail = '';
  exit: ChildExit | undefined;

  constructor(private readonly options: StdioClientTransportOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get recentStderr(): string {
    return this.stderrTail.trim();
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.options.command, this.options.args, {
        env: { ...getDefaultEnvironment(), ...this.options.env },
        cwd: this.options.cwd,
        stdio: ['pipe', 'pipe', 'pipe'],
        shell: false,
      });
      this.child = child;
      const splitter = new LineSplitter(
        MAX_LINE_BYTES,
        (line) => {
          const parsed = parseJsonRpcLine(line);
          if ('message' in parsed) this.onmessage?.(parsed.message);
          else
            this.onerror?.(
              new Error(`server wrote something that is not JSON-RPC to stdout: ${parsed.problem.message}`),
            );
        },
        ({ bytes }) =>
          this.onerror?.(
            new Error(
              `server sent a ${toMegabytes(bytes)} line, over the ${toMegabytes(MAX_LINE_BYTES)} limit`,
            ),
          ),
      );
      child.stdout!.on('data', (chunk: Buffer) => splitter.push(chunk));
      child.stderr!.on('data', (chunk: Buffer) => this.keepStderr(chunk));
      child.stdin!.on('error', (error) => this.onerror?.(error));
      child.once('error', (error) => {
        reject(error);
        this.onerror?.(error);
      });
      child.once('spawn', () => {
        trackChild(child);
        resolve();
      });
      child.once('close', (code, signal) => {
        untrackChild(child);
        this.exit = { code, signal };
        this.child = undefined;
        this.onclose?.();
      });
    });
  }

  private keepStderr(chunk: Buffer): void {
    const text = chunk.toString('utf8');
    this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL_BYTES);
    if (this.options.onStderrLine)
      for (const line of text.split('\n')) if (line.trim()) this.options.onStderrLine(line);
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || stdin.destroyed)
      return Promise.reject(new Error('Not connected: the server process is not running'));
    return this.writer.write(message);
  }

  /** Ends stdin, then SIGTERM, then SIGKILL: reference servers do not exit on stdin EOF alone. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    child.stdin?.end();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), TERM_GRACE_MS);
    try {
      await exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
