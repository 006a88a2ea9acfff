// The warm pool and the runner's lifecycle against the real Deno binary: processes killed from
// outside are replaced, cancellation and close kill what runs, and no sandbox process outlives the
// gateway, even one killed with SIGKILL (the orphan checks use dist/: `npm test` builds first).
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CodeRunRequest } from '../../src/sandbox/code-runner.js';
import { createDenoCodeRunner, type DenoCodeRunner } from '../../src/sandbox/deno/index.js';
import { ROOT, NODE } from '../helpers/paths.js';
import { isAlive } from '../helpers/processes.js';

const TIMEOUT_MS = 15_000;
const BUILT_SANDBOX = pathToFileURL(join(ROOT, 'dist', 'sandbox', 'deno', 'index.js')).href;
const echo: CodeRunRequest['callTool'] = async (request) => request.args;

const runners: DenoCodeRunner[] = [];
function createRunner(options: Parameters<typeof createDenoCodeRunner>[0] = {}): DenoCodeRunner {
  const runner = createDenoCodeRunner(options);
  runners.push(runner);
  return runner;
}
afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.close()));
});

/** Code that reports its process id through a tool call, then does what `then` says. */
function reportingPid(then: string): {
  code: string;
  pid: Promise<number>;
  callTool: CodeRunRequest['callTool'];
} {
  let deliver: (pid: number) => void = () => {};
  const pid = new Promise<number>((resolve) => (deliver = resolve));
  return {
    code: `await tools.t.pid({ pid: Deno.pid });\n${then}`,
    pid,
    callTool: async (request) => {
      if (request.tool === 'pid') deliver(request.args.pid as number);
      return null;
    },
  };
}

describe('the warm pool', () => {
  it('keeps poolSize processes ready, and serves each run from a fresh one', async () => {
    const runner = createRunner({ poolSize: 2 });
    await runner.start();
    expect(runner.status()).toMatchObject({ warm: 2, ready: 2, running: 0 });
    const warmPids = runner.status().pids;
    const result = await runner.run({ code: 'Deno.pid', timeoutMs: TIMEOUT_MS, callTool: echo });
    expect(warmPids).toContain(result.value);
    await runner.start();
    expect(runner.status().pids).not.toContain(result.value);
  });

  it('recovers after its processes are killed from outside', async () => {
    const runner = createRunner({ poolSize: 2 });
    await runner.start();
    const killed = runner.status().pids;
    for (const pid of killed) process.kill(pid, 'SIGKILL');
    const result = await runner.run({ code: '"alive"', timeoutMs: TIMEOUT_MS, callTool: echo });
    expect(result.value).toBe('alive');
    await runner.start();
    expect(runner.status().ready).toBe(2);
    expect(runner.status().pids.some((pid) => killed.includes(pid))).toBe(false);
  });

  it('reports a process killed from outside during a run as a crash, not as memory', async () => {
    const runner = createRunner({ poolSize: 1 });
    const probe = reportingPid('await new Promise(() => {})');
    const running = runner.run({ code: probe.code, timeoutMs: TIMEOUT_MS, callTool: probe.callTool });
    process.kill(await probe.pid, 'SIGKILL');
    await expect(running).rejects.toMatchObject({
      data: { reason: 'crashed' },
      message: expect.stringContaining('killed by SIGKILL from outside the gateway'),
    });
  });

  it('starts a process per run when the pool size is 0', async () => {
    const runner = createRunner({ poolSize: 0 });
    await runner.start();
    expect(runner.status().warm).toBe(0);
    const result = await runner.run({ code: '1 + 1', timeoutMs: TIMEOUT_MS, callTool: echo });
    expect(result.value).toBe(2);
    expect(runner.status().warm).toBe(0);
  });

  it('queues runs past maxConcurrentRuns, within their own timeout', async () => {
    const runner = createRunner({ poolSize: 1, maxConcurrentRuns: 1 });
    const blocker = runner.run({ code: 'while (true) {}', timeoutMs: 500, callTool: echo });
    const queued = runner.run({ code: '"second"', timeoutMs: 200, callTool: echo });
    await expect(queued).rejects.toMatchObject({
      name: 'TimeoutError',
      message: expect.stringContaining('including the time it waited for a free sandbox'),
    });
    await expect(blocker).rejects.toMatchObject({ name: 'TimeoutError' });
    const next = await runner.run({ code: '"third"', timeoutMs: TIMEOUT_MS, callTool: echo });
    expect(next.value).toBe('third');
  });

  it('fails clearly, without a fork loop, when Deno cannot start', async () => {
    const runner = createRunner({ poolSize: 2, denoPath: join(ROOT, 'no-such-deno') });
    await expect(runner.run({ code: '1', timeoutMs: TIMEOUT_MS, callTool: echo })).rejects.toMatchObject({
      name: 'SandboxExecutionError',
      data: { reason: 'start' },
      message: expect.stringContaining('The sandbox (Deno) could not start'),
    });
    expect(runner.status().warm).toBeLessThanOrEqual(2);
  });
});

describe('cancellation and close', () => {
  it('kills the run when the client cancels', async () => {
    const runner = createRunner({ poolSize: 1 });
    const controller = new AbortController();
    const probe = reportingPid('while (true) {}');
    const running = runner.run({
      code: probe.code,
      timeoutMs: TIMEOUT_MS,
      callTool: probe.callTool,
      signal: controller.signal,
    });
    const pid = await probe.pid;
    controller.abort();
    await expect(running).rejects.toMatchObject({ name: 'CancelledError', code: 'CANCELLED' });
    await vi.waitFor(() => expect(isAlive(pid)).toBe(false));
  });

  it('does not start a run whose signal is already aborted', async () => {
    const runner = createRunner({ poolSize: 1 });
    await expect(
      runner.run({ code: '1', timeoutMs: TIMEOUT_MS, callTool: echo, signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ name: 'CancelledError' });
  });

  it('kills every process on close, fails the runs in flight, and closes twice quietly', async () => {
    const runner = createDenoCodeRunner({ poolSize: 2 });
    await runner.start();
    const warmPids = runner.status().pids;
    const probe = reportingPid('while (true) {}');
    const running = runner.run({ code: probe.code, timeoutMs: TIMEOUT_MS, callTool: probe.callTool });
    const runningPid = await probe.pid;
    const failure = running.catch((error: unknown) => error);
    await runner.close();
    await expect(failure).resolves.toMatchObject({
      name: 'CancelledError',
      message: expect.stringContaining('shutting down'),
    });
    for (const pid of [...warmPids, runningPid]) expect(isAlive(pid)).toBe(false);
    await runner.close();
    await expect(runner.run({ code: '1', timeoutMs: TIMEOUT_MS, callTool: echo })).rejects.toMatchObject({
      data: { reason: 'start' },
      message: expect.stringContaining('closed'),
    });
  });
});

describe('when the gateway exits without closing the runner', () => {
  /** A gateway stand-in: a node process with a runner, printing the pids of its sandboxes. */
  function startGateway(script: string) {
    const child = spawn(NODE, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout });
    const firstLine = new Promise<string>((resolve) => lines.once('line', resolve));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return { child, firstLine, exited };
  }

  it('kills its warm sandboxes when it exits', async () => {
    const gateway = startGateway(`
      import { createDenoCodeRunner } from ${JSON.stringify(BUILT_SANDBOX)};
      const runner = createDenoCodeRunner({ poolSize: 2 });
      await runner.start();
      const { readdirSync } = await import('node:fs');
      const { tmpdir } = await import('node:os');
      const directories = readdirSync(tmpdir()).filter((name) => name.startsWith('pml-sandbox-'));
      console.log(JSON.stringify({ pids: runner.status().pids, directories }));
      process.exit(0);
    `);
    const { pids, directories } = JSON.parse(await gateway.firstLine) as {
      pids: number[];
      directories: string[];
    };
    await gateway.exited;
    expect(pids).toHaveLength(2);
    await vi.waitFor(() => expect(pids.filter(isAlive)).toEqual([]));
    // Its own directory went with it (other runners' may stand beside it).
    const left = new Set(readdirSync(tmpdir()).filter((name) => name.startsWith('pml-sandbox-')));
    expect(directories.filter((name) => left.has(name)).length).toBeLessThan(directories.length);
  });

  it('leaves no sandbox behind when it is killed with SIGKILL, not even one in a busy loop', async () => {
    const gateway = startGateway(`
      import { createDenoCodeRunner } from ${JSON.stringify(BUILT_SANDBOX)};
      const runner = createDenoCodeRunner({ poolSize: 1 });
      await runner.start();
      const warm = runner.status().pids;
      void runner.run({
        code: 'await tools.t.pid({ pid: Deno.pid });\\nwhile (true) {}',
        timeoutMs: 60_000,
        callTool: async (request) => console.log(JSON.stringify([...warm, ...runner.status().pids, request.args.pid])),
      });
      setInterval(() => {}, 1000);
    `);
    const pids = JSON.parse(await gateway.firstLine) as number[];
    gateway.child.kill('SIGKILL');
    await gateway.exited;
    expect(pids.length).toBeGreaterThanOrEqual(2);
    // The sandboxes see their stdin close and exit by themselves.
    await vi.waitFor(() => expect(pids.filter(isAlive)).toEqual([]), { timeout: 10_000 });
    // Its directory stays behind, until the next runner sees that its gateway is gone.
    const leftBehind = `pml-sandbox-${gateway.child.pid}-`;
    expect(readdirSync(tmpdir()).some((name) => name.startsWith(leftBehind))).toBe(true);
    createRunner({ poolSize: 0 });
    expect(readdirSync(tmpdir()).some((name) => name.startsWith(leftBehind))).toBe(false);
  });
});
