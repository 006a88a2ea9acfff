// One Deno child: started, ready once its main thread has announced its token, then attached to
// exactly one run. It reports every authentic message and, once, how it ended: exit code or signal,
// whether V8 said it ran out of memory, the tail of stderr, or the stdout problem that got it killed.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { SandboxExecutionError } from '../../errors/index.js';
import { trackChild, untrackChild } from './child-registry.js';
import type { DenoCommand } from './deno-command.js';
import { FrameReader, type FrameProblem } from './frame-reader.js';
import type { HostToSandbox, SandboxToHost } from './protocol.js';

/** Enough stderr to show V8's fatal message or Deno's last error, not a flood. */
const STDERR_TAIL_CHARS = 8192;
/**
 * V8's "Fatal JavaScript out of memory: Reached heap limit" and "Fatal process out of memory", and
 * the RangeError Deno dies of when its own thread cannot allocate once the code has taken the
 * process data limit ("Array buffer allocation failed").
 */
const OUT_OF_MEMORY = /out of memory|allocation failed|Unable to grow instance memory/i;

export interface ProcessEnd {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  outOfMemory: boolean;
  stderrTail: string;
  /** What on stdout got the process killed: bytes that are not a frame, or a frame that is not JSON. */
  stdoutProblem?: FrameProblem | { kind: 'not_json' } | undefined;
  killedByHost: boolean;
  spawnError?: string | undefined;
}

export interface ProcessListener {
  onMessage(message: SandboxToHost): void;
  onEnd(end: ProcessEnd): void;
}

export interface SandboxProcessOptions {
  maxFrameBytes: number;
  startTimeoutMs: number;
}

export class SandboxProcess {
  readonly ready: Promise<void>;
  private readonly child: ChildProcess;
  private listener: ProcessListener | undefined;
  private stderrTail = '';
  private outOfMemory = false;
  private stdoutProblem: ProcessEnd['stdoutProblem'];
  private killedByHost = false;
  private spawnError: string | undefined;
  private endInfo: ProcessEnd | undefined;
  private readonly endWaiters: (() => void)[] = [];

  constructor(command: DenoCommand, options: SandboxProcessOptions) {
    this.child = spawn(command.command, command.args, {
      env: command.env,
      cwd: command.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      shell: false,
      windowsHide: true,
    });
    trackChild(this.child);
    // A warm process must not keep the gateway alive; the exit hook of child-registry kills it.
    this.child.unref();
    for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr])
      (stream as Socket | null)?.unref?.();
    this.ready = this.startReading(options);
    this.ready.catch(() => {});
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get ended(): boolean {
    return this.endInfo !== undefined;
  }

  /** Resolves once the process has exited and its pipes are closed. */
  whenEnded(): Promise<void> {
    return this.endInfo ? Promise.resolve() : new Promise((resolve) => this.endWaiters.push(resolve));
  }

  /** The run that owns the process from now on; an end that already happened is reported at once. */
  attach(listener: ProcessListener): void {
    this.listener = listener;
    if (this.endInfo) listener.onEnd(this.endInfo);
  }

  send(message: HostToSandbox): void {
    const stdin = this.child.stdin;
    if (this.ended || !stdin || stdin.destroyed) return;
    stdin.write(`${JSON.stringify(message)}\n`);
  }

  kill(): void {
    if (this.ended) return;
    this.killedByHost = true;
    try {
      this.child.kill('SIGKILL');
    } catch {
      // Already gone.
    }
  }

  private startReading(options: SandboxProcessOptions): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(toStartError(`it did not get ready within ${options.startTimeoutMs} ms`, this.stderrTail));
        this.kill();
      }, options.startTimeoutMs);
      timer.unref();
      const reader = new FrameReader(options.maxFrameBytes, {
        onReady: () => {
          clearTimeout(timer);
          resolve();
        },
        onFrame: (json) => this.acceptFrame(json),
        onProblem: (problem) => this.failStdout(problem),
      });
      this.child.stdout?.on('data', (chunk: Buffer) => reader.push(chunk));
      this.child.stderr?.on('data', (chunk: Buffer) => this.keepStderr(chunk));
      this.child.stdin?.on('error', () => {}); // EPIPE after the child died; the close event reports it
      this.child.once('error', (error) => {
        this.spawnError = error.message;
        this.finish(reject, timer);
      });
      this.child.once('close', () => this.finish(reject, timer));
    });
  }

  private finish(reject: (error: Error) => void, timer: NodeJS.Timeout): void {
    if (this.endInfo) return;
    clearTimeout(timer);
    untrackChild(this.child);
    this.endInfo = {
      exitCode: this.child.exitCode,
      signal: this.child.signalCode,
      outOfMemory: this.outOfMemory,
      stderrTail: this.stderrTail.trim(),
      stdoutProblem: this.stdoutProblem,
      killedByHost: this.killedByHost,
      spawnError: this.spawnError,
    };
    const detail = this.spawnError ?? describeExit(this.endInfo);
    reject(toStartError(`it ended before it was ready (${detail})`, this.stderrTail));
    this.listener?.onEnd(this.endInfo);
    for (const resolve of this.endWaiters.splice(0)) resolve();
  }

  private acceptFrame(json: string): void {
    let message: unknown;
    try {
      message = JSON.parse(json);
    } catch {
      return this.failStdout({ kind: 'not_json' });
    }
    if (typeof message !== 'object' || message === null || typeof (message as { t?: unknown }).t !== 'string')
      return this.failStdout({ kind: 'not_json' });
    // Before a run attaches, the main thread has nothing to say: anything is a problem.
    if (!this.listener) return this.failStdout({ kind: 'garbage', preview: json.slice(0, 80) });
    this.listener.onMessage(message as SandboxToHost);
  }

  private failStdout(problem: NonNullable<ProcessEnd['stdoutProblem']>): void {
    this.stdoutProblem ??= problem;
    this.kill();
  }

  private keepStderr(chunk: Buffer): void {
    const text = chunk.toString('utf8');
    this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL_CHARS);
    if (!this.outOfMemory && OUT_OF_MEMORY.test(this.stderrTail.slice(-(text.length + 64))))
      this.outOfMemory = true;
  }
}

export function describeExit(end: ProcessEnd): string {
  if (end.signal) return `killed by ${end.signal}`;
  return `exit code ${end.exitCode ?? 'unknown'}`;
}

function toStartError(problem: string, stderr: string): SandboxExecutionError {
  const lastLine = stderr.trim().split('\n').at(-1);
  return new SandboxExecutionError(
    `The sandbox (Deno) could not start: ${problem}${lastLine ? `; its last words: ${lastLine}` : ''}. ` +
      'Check that the deno npm package is installed (npm ci) and that the machine has memory to spare.',
    { reason: 'start' },
  );
}
