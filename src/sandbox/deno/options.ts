// The Deno runner's options and their defaults, resolved once into a fully defaulted type.
import { silentLogger, type Logger } from '../../shared/logger.js';

/** V8 heap of the code's isolate: a few tool results fit many times over; a runaway loop does not. */
export const DEFAULT_MEMORY_LIMIT_MB = 128;
/** Console output kept per run; past it the output is cut and `logsTruncated` is set. */
export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
/** JSON of the returned value: a model reads it, so a summary, not a dump. */
export const DEFAULT_MAX_RESULT_BYTES = 1024 * 1024;
export const DEFAULT_MAX_TOOL_CALLS = 100;
/** JSON of one tool call's arguments: past this it is a mistake (pass a path, not the file). */
export const DEFAULT_MAX_TOOL_ARGS_BYTES = 4 * 1024 * 1024;
/** Warm processes: two cover a run and the one after it while a replacement starts. */
export const DEFAULT_POOL_SIZE = 2;
/** Runs at once; more wait their turn (within their own timeout). Each run is a process (~45 MB RSS). */
export const DEFAULT_MAX_CONCURRENT_RUNS = 8;
/** A cold start takes 50–100 ms here; ten seconds is a machine in trouble, not a slow start. */
export const DEFAULT_START_TIMEOUT_MS = 10_000;

export interface DenoCodeRunnerOptions {
  memoryLimitMb?: number | undefined;
  maxOutputBytes?: number | undefined;
  maxResultBytes?: number | undefined;
  maxToolCalls?: number | undefined;
  maxToolArgsBytes?: number | undefined;
  /** Processes started ahead, each waiting for its one run; 0 starts one per run. */
  poolSize?: number | undefined;
  maxConcurrentRuns?: number | undefined;
  startTimeoutMs?: number | undefined;
  /** The Deno binary; found in the `deno` npm package when not given. */
  denoPath?: string | undefined;
  logger?: Logger | undefined;
}

export interface ResolvedDenoCodeRunnerOptions {
  memoryLimitMb: number;
  maxOutputBytes: number;
  maxResultBytes: number;
  maxToolCalls: number;
  maxToolArgsBytes: number;
  poolSize: number;
  maxConcurrentRuns: number;
  startTimeoutMs: number;
  denoPath: string | undefined;
  logger: Logger;
}

export function resolveDenoCodeRunnerOptions(
  options: DenoCodeRunnerOptions = {},
): ResolvedDenoCodeRunnerOptions {
  const poolSize = options.poolSize ?? DEFAULT_POOL_SIZE;
  return {
    memoryLimitMb: options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB,
    maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
    maxResultBytes: options.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES,
    maxToolCalls: options.maxToolCalls ?? DEFAULT_MAX_TOOL_CALLS,
    maxToolArgsBytes: options.maxToolArgsBytes ?? DEFAULT_MAX_TOOL_ARGS_BYTES,
    poolSize,
    maxConcurrentRuns: Math.max(
      1,
      options.maxConcurrentRuns ?? Math.max(DEFAULT_MAX_CONCURRENT_RUNS, poolSize),
    ),
    startTimeoutMs: options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
    denoPath: options.denoPath,
    logger: options.logger ?? silentLogger,
  };
}
