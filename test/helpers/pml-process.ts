// Runs the built `pml` as a child process the test can signal, feed and watch: its output so far,
// and how it ended (code or signal), once its pipes have closed.
import { spawn, type ChildProcess } from 'node:child_process';
import { gatewayEnv } from './gateway.js';
import { CLI, NODE } from './paths.js';

export interface PmlEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface PmlProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  ended: Promise<PmlEnd>;
}

export function spawnPml(args: string[], options: { dir: string; env?: Record<string, string> }): PmlProcess {
  const child = spawn(NODE, [CLI, ...args], {
    cwd: options.dir,
    env: gatewayEnv(options.dir, options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ended = new Promise<PmlEnd>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, ended };
}
