// Public door of the Deno code runner: agent code in a Deno subprocess with no permissions, one
// process per run from a warm pool, tool calls over a token-framed channel on stdin/stdout.
export { createDenoCodeRunner } from './create-deno-code-runner.js';
export type { DenoCodeRunner } from './create-deno-code-runner.js';
export {
  DEFAULT_MAX_CONCURRENT_RUNS,
  DEFAULT_MAX_OUTPUT_BYTES,
  DEFAULT_MAX_RESULT_BYTES,
  DEFAULT_MAX_TOOL_ARGS_BYTES,
  DEFAULT_MAX_TOOL_CALLS,
  DEFAULT_MEMORY_LIMIT_MB,
  DEFAULT_POOL_SIZE,
  DEFAULT_START_TIMEOUT_MS,
} from './options.js';
export type { DenoCodeRunnerOptions } from './options.js';
export type { PoolStatus } from './process-pool.js';
export { resolveDenoBinary } from './deno-binary.js';
