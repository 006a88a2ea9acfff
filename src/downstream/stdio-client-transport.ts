// Spawns a stdio MCP server and speaks JSON-RPC lines with it. Ours rather than the SDK's because the
// pool needs the exit code and the last lines of stderr to explain a crash, a close that does not
// wait two seconds before it signals the child, and a stop that reaches what the server started:
// the server leads its own process group, so `npx`, `uvx` and shell wrappers stop with their child.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Transport, JSONRPCMessage } from '@modelcontextprotocol/client';
import { getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { LineSplitter, parseJsonRpcLine, toMegabytes } from '../shared/json-rpc-lines.js';
import { LineWriter } from '../shared/line-writer.js';
import { trackChild, untrackChild } from './child-registry.js';
import { HAS_PROCESS_GROUPS, signalGroup, stopGroup } from './process-group.js';

const STDERR_TAIL_BYTES = 2048;
// After SIGTERM a server (and whatever its wrapper started) gets this long to exit before SIGKILL:
// the reference servers exit at once, a lingering one costs this much once, and a one-shot command
// still ends within 2 s of its work.
const TERM_GRACE_MS = 1000;
// SIGKILLed processes vanish as soon as their new parent reaps them, in milliseconds.
const KILL_SETTLE_MS = 500;
// With the group gone its pipes are closed, unless a process that left the group (its own session)
// still holds them: they are cut after this long, so a close never waits on such a process.
const PIPE_CLOSE_MS = 200;
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
  private termSentAtMs: number | undefined;
  private stopping: Promise<void> | undefined;
  /** Resolves once the server has exited, the rest of its group is gone and its pipes are closed. */
  private finished: Promise<void> = Promise.resolve();
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
        // Its own process group (pgid = pid); also out of the terminal's, so a Ctrl-C reaches pml,
        // which stops every server in order, rather than the servers in the middle of a call.
        detached: HAS_PROCESS_GROUPS,
      });
      this.child = child;
      this.readStdout(child);
      child.stderr!.on('data', (chunk: Buffer) => this.keepStderr(chunk));
      child.stdin!.on('error', (error) => this.onerror?.(error));
      const closed = new Promise<void>((resolveClosed) => child.once('close', () => resolveClosed()));
      const exited = new Promise<void>((resolveExited) =>
        child.once('exit', (code, signal) => {
          this.exit = { code, signal };
          resolveExited();
        }),
      );
      this.finished = closed;
      child.once('error', (error) => {
        reject(error);
        this.onerror?.(error);
      });
      child.once('spawn', () => {
        trackChild(child.pid!);
        this.finished = Promise.all([exited.then(() => this.reapGroup(child)), closed]).then(() => {});
        resolve();
      });
      child.once('close', (code, signal) => {
        // A spawn that failed (no such command) has no 'exit', only this.
        this.exit ??= { code, signal };
        this.child = undefined;
        this.onclose?.();
      });
    });
  }

  private readStdout(child: ChildProcess): void {
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
  }

  /**
   * The server has exited, by itself or because pml stopped it. What it started may live on (the
   * real server under `npm exec`) and hold the pipes: the rest of the group gets SIGTERM, then SIGKILL.
   */
  private async reapGroup(child: ChildProcess): Promise<void> {
    const pgid = child.pid!;
    await stopGroup(pgid, {
      termSentAtMs: this.termSentAtMs,
      graceMs: TERM_GRACE_MS,
      killSettleMs: KILL_SETTLE_MS,
    });
    untrackChild(pgid);
    const cutPipes = setTimeout(() => {
      for (const stream of [child.stdin, child.stdout, child.stderr]) stream?.destroy();
    }, PIPE_CLOSE_MS);
    cutPipes.unref();
    child.once('close', () => clearTimeout(cutPipes));
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

  /**
   * Ends stdin, then SIGTERM to the server's group (reference servers do not exit on stdin EOF
   * alone), then SIGKILL to what is left after the grace. Resolves once the server has EXITED and
   * the rest of its group is gone, not when its pipes close: a grandchild may hold those.
   */
  close(): Promise<void> {
    const child = this.child;
    if (!child) return this.finished;
    this.stopping ??= this.stop(child);
    return this.stopping;
  }

  private async stop(child: ChildProcess): Promise<void> {
    child.stdin?.end();
    if (this.exit === undefined) {
      this.termSentAtMs = performance.now();
      this.signal(child, 'SIGTERM');
    }
    const kill = setTimeout(() => this.exit === undefined && this.signal(child, 'SIGKILL'), TERM_GRACE_MS);
    try {
      await this.finished;
    } finally {
      clearTimeout(kill);
    }
  }

  private signal(child: ChildProcess, signal: NodeJS.Signals): void {
    if (child.pid === undefined) return;
    if (HAS_PROCESS_GROUPS) signalGroup(child.pid, signal);
    else child.kill(signal);
  }
}
