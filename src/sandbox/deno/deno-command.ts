// The command line of a sandbox process. No `--allow-*` flag at all: Deno then denies files,
// network, environment, subprocesses, FFI and system information. Each other flag is a row with its
// reason; the environment is built from nothing, so no secret of the gateway's reaches the child.
import { existsSync } from 'node:fs';

export interface DenoCommand {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

export interface DenoCommandInput {
  denoPath: string;
  memoryLimitMb: number;
  /** An empty directory of the runner's own. */
  cwd: string;
  /** The process's own cache directory (deno-dir.ts). */
  denoDir: string;
  mainUrl: string;
  workerUrl: string;
}

const RUN_FLAGS: readonly (readonly [flag: string, reason: string])[] = [
  ['--no-prompt', 'a permission the code asks for is denied, never asked for on a terminal'],
  ['--no-remote', 'no http(s): or jsr: import; without it Deno fetches them despite having no --allow-net'],
  ['--no-npm', 'no npm: import, which Deno would also fetch without --allow-net'],
  ['--no-config', 'no deno.json of the directory or its parents: it could map imports or grant permissions'],
  ['--no-lock', 'no deno.lock read or written'],
  ['--no-check', 'types are stripped, never checked: TypeScript runs as fast as JavaScript'],
  ['--quiet', 'no progress lines on stderr, which is kept for diagnostics'],
];

/**
 * The data segment limit (RLIMIT_DATA) on Linux, which V8's heap flag does not cover: ArrayBuffers
 * and WebAssembly memory live outside the heap, and without it `new Uint8Array(1e8).fill(1)` in a
 * loop takes the machine's memory. Deno reserves ~1.05 GB of address space for its two isolates
 * (measured: it fails to start below 1.1 GB), so the limit is that plus room for the heaps and
 * about the heap limit again in buffers.
 */
const DATA_LIMIT_BASE_MB = 1280;
const DATA_LIMIT_PER_HEAP_MB = 3;

export function toDataLimitMb(memoryLimitMb: number): number {
  return DATA_LIMIT_BASE_MB + DATA_LIMIT_PER_HEAP_MB * memoryLimitMb;
}

export function buildDenoCommand(input: DenoCommandInput): DenoCommand {
  const denoArgs = [
    'run',
    ...RUN_FLAGS.map(([flag]) => flag),
    `--v8-flags=--max-old-space-size=${input.memoryLimitMb}`,
    input.mainUrl,
    input.workerUrl,
  ];
  const env: Record<string, string> = {
    DENO_DIR: input.denoDir,
    // No package.json auto-discovery in the directory or its parents (as --no-config for deno.json).
    DENO_NO_PACKAGE_JSON: '1',
    DENO_NO_UPDATE_CHECK: '1',
    NO_COLOR: '1',
  };
  if (process.platform === 'linux' && existsSync('/bin/sh')) {
    // `exec` keeps the pid, so a kill reaches Deno itself. A failing ulimit (a lower hard limit
    // already in place) leaves that stricter limit.
    const script = 'ulimit -d "$1" 2>/dev/null; shift; exec "$@"';
    const limitKb = String(toDataLimitMb(input.memoryLimitMb) * 1024);
    return {
      command: '/bin/sh',
      args: ['-c', script, 'pml-sandbox', limitKb, input.denoPath, ...denoArgs],
      env,
      cwd: input.cwd,
    };
  }
  return { command: input.denoPath, args: denoArgs, env, cwd: input.cwd };
}
