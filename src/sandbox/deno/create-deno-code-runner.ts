// The composition root of the Deno runner: resolves the options, prepares the command line once,
// and runs each request on a process from the warm pool under its own timeout, cancellation and
// concurrency slot. A run whose process dies before the code began is tried once more elsewhere.
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CodeRunner, CodeRunRequest, CodeRunResult } from '../code-runner.js';
import { isPmlError } from '../../errors/index.js';
import { loadBootstrapUrls } from './bootstrap-sources.js';
import { buildModuleSources, toTypeScriptDataUrl } from './build-module-source.js';
import { trackDirectory, untrackDirectory } from './child-registry.js';
import { buildDenoCommand } from './deno-command.js';
import { resolveDenoBinary } from './deno-binary.js';
import { createDenoDir, createRunnerDir, removeDenoDir } from './deno-dir.js';
import { resolveDenoCodeRunnerOptions, type DenoCodeRunnerOptions } from './options.js';
import { createProcessPool, type PoolStatus } from './process-pool.js';
import { createRunRecord, runOnProcess, type RunOutcome, type RunRecord } from './run-on-process.js';
import { RunSlots } from './run-slots.js';
import { SandboxProcess } from './sandbox-process.js';
import {
  toCancelledError,
  toEndError,
  toFailError,
  toSandboxError,
  toTimeoutError,
  type RunFacts,
} from './to-sandbox-error.js';
import { findContextProblems } from './validate-context.js';

/** A log line or a value is JSON-escaped once or twice on its way out: up to 6 bytes per byte. */
const FRAME_EXPANSION = 6;
const FRAME_OVERHEAD_BYTES = 64 * 1024;
/** A run whose process dies before the code begins (killed from outside) gets one more process. */
const MAX_ATTEMPTS = 2;

export interface DenoCodeRunner extends CodeRunner {
  /** Resolves once the pool's processes are ready; runs do not need it, a warm-up at startup may. */
  start(): Promise<void>;
  status(): PoolStatus & { running: number };
}

type StopReason = 'timeout' | 'cancelled' | 'closed';

export function createDenoCodeRunner(options: DenoCodeRunnerOptions = {}): DenoCodeRunner {
  const resolved = resolveDenoCodeRunnerOptions(options);
  const binary = resolved.denoPath ? { path: resolved.denoPath } : resolveDenoBinary();
  const workDir = createRunnerDir(tmpdir());
  trackDirectory(workDir);
  const cwd = join(workDir, 'cwd');
  mkdirSync(cwd);
  const limits = {
    maxToolCalls: resolved.maxToolCalls,
    maxOutputBytes: resolved.maxOutputBytes,
    maxResultBytes: resolved.maxResultBytes,
    maxToolArgsBytes: resolved.maxToolArgsBytes,
  };
  const maxFrameBytes =
    FRAME_EXPANSION * Math.max(limits.maxOutputBytes, limits.maxResultBytes, limits.maxToolArgsBytes) +
    FRAME_OVERHEAD_BYTES;
  const processes = new Set<SandboxProcess>();
  const startProcess = (): SandboxProcess => {
    if (!('path' in binary)) throw new Error(binary.problem);
    const denoDir = createDenoDir(workDir);
    const command = buildDenoCommand({
      denoPath: binary.path,
      memoryLimitMb: resolved.memoryLimitMb,
      cwd,
      denoDir,
      ...loadBootstrapUrls(),
    });
    const process = new SandboxProcess(command, { maxFrameBytes, startTimeoutMs: resolved.startTimeoutMs });
    processes.add(process);
    void process.whenEnded().then(async () => {
      processes.delete(process);
      await removeDenoDir(denoDir);
    });
    return process;
  };
  const pool = createProcessPool(startProcess, 'path' in binary ? resolved.poolSize : 0, resolved.logger);
  const slots = new RunSlots(resolved.maxConcurrentRuns);
  const running = new Set<(reason: StopReason) => void>();
  let closed = false;

  async function run(request: CodeRunRequest): Promise<CodeRunResult> {
    const startedAt = performance.now();
    const context = request.context ?? {};
    const facts: RunFacts = {
      code: request.code,
      contextKeys: Object.keys(context),
      timeoutMs: request.timeoutMs,
      memoryLimitMb: resolved.memoryLimitMb,
      maxToolCalls: resolved.maxToolCalls,
      maxResultBytes: resolved.maxResultBytes,
    };
    if (closed) throw toSandboxError('start', 'The sandbox is closed: the gateway is shutting down.', facts);
    if (!('path' in binary))
      throw toSandboxError('start', `The sandbox (Deno) cannot start: ${binary.problem}.`, facts);
    const problems = findContextProblems(context);
    if (problems.length > 0)
      throw toSandboxError(
        'context',
        `The context cannot be given to the code: ${problems.join('; ')}. Rename or drop those keys.`,
        facts,
      );
    const modules = buildModuleSources(request.code, facts.contextKeys).sources.map(toTypeScriptDataUrl);

    const controller = new AbortController();
    let stopReason: StopReason | undefined;
    const stop = (reason: StopReason) => {
      stopReason ??= reason;
      controller.abort(new Error(`the run stopped: ${reason}`));
    };
    const timer = setTimeout(() => stop('timeout'), request.timeoutMs);
    const onCancel = () => stop('cancelled');
    if (request.signal?.aborted) stop('cancelled');
    request.signal?.addEventListener('abort', onCancel, { once: true });
    running.add(stop);
    let release: (() => void) | undefined;
    const waitedForSlot = !slots.hasFree;
    const record = createRunRecord();
    let outcome: RunOutcome | undefined;
    try {
      release = await slots.take(controller.signal);
      const input = { modules, context, limits, callTool: request.callTool };
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
        const process = await pool.acquire(controller.signal, { fresh: attempt > 1 });
        outcome = await runOnProcess(process, input, record, controller.signal);
        if (outcome.kind !== 'ended' || outcome.started) break;
        resolved.logger.debug('sandbox process ended before the run began; trying another', {
          pid: process.pid,
        });
      }
    } catch (error) {
      if (stopReason) throw toStopError(stopReason, facts, waitedForSlot);
      throw toSandboxError(
        'start',
        isPmlError(error) ? error.message : `The sandbox (Deno) could not start: ${String(error)}.`,
        facts,
      );
    } finally {
      clearTimeout(timer);
      release?.();
      request.signal?.removeEventListener('abort', onCancel);
      running.delete(stop);
    }
    if (!outcome || outcome.kind === 'aborted')
      throw toStopError(stopReason ?? 'cancelled', facts, waitedForSlot);
    return toResult(outcome, record, facts, performance.now() - startedAt);
  }

  function toResult(
    outcome: Exclude<RunOutcome, { kind: 'aborted' }>,
    record: RunRecord,
    facts: RunFacts,
    durationMs: number,
  ): CodeRunResult {
    facts.toolCalls = record.toolCalls;
    switch (outcome.kind) {
      case 'done':
        return {
          value: outcome.value,
          logs: record.logs,
          logsTruncated: record.logsTruncated,
          toolCalls: record.toolCalls,
          durationMs,
        };
      case 'failed':
        throw toFailError(outcome.fail, outcome.error, record.capHit, facts);
      case 'ended':
        resolved.logger.debug('sandbox process ended during a run', { stderr: outcome.end.stderrTail });
        throw toEndError(outcome.end, facts);
      case 'protocol':
        throw toSandboxError(
          'protocol',
          `The sandbox broke its protocol: ${outcome.problem}. Run the code again.`,
          facts,
        );
    }
  }

  return {
    run,
    start: () => pool.whenWarm(),
    status: () => ({ ...pool.status(), running: running.size }),
    async close() {
      if (closed) return;
      closed = true;
      for (const stop of running) stop('closed');
      pool.close();
      for (const process of processes) process.kill();
      // The processes do not hold the event loop open; close does, until they are gone.
      const holdOpen = setInterval(() => {}, 60_000);
      try {
        await Promise.all([...processes].map((process) => process.whenEnded()));
      } finally {
        clearInterval(holdOpen);
        rmSync(workDir, { recursive: true, force: true });
        untrackDirectory(workDir);
      }
    },
  };
}

function toStopError(reason: StopReason, facts: RunFacts, waitedForSlot: boolean): Error {
  if (reason === 'timeout') return toTimeoutError(facts, waitedForSlot);
  return toCancelledError(
    reason === 'cancelled' ? 'the client cancelled it' : 'the gateway is shutting down',
  );
}
