// The runner's directory, and a fresh DENO_DIR for each sandbox process, removed once the process is gone, so that nothing one
// run leaves on disk (Deno's caches hold the transpiled code) reaches the next or stays behind.
// Deno needs it writable: without a usable cache directory, the first TypeScript module of a
// process costs ~160 ms instead of ~3 ms (measured). `location_data` is planted as a plain file,
// so the directory Deno would create there cannot exist: the Cache API (`caches.open`), the one
// store user code could fill at will, fails in every realm of the process.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

const RUNNER_DIR_PREFIX = 'pml-sandbox-';

/**
 * The runner's own directory, named after the gateway's pid. A gateway killed with SIGKILL cannot
 * remove its directory, so each new runner removes those of gateways that are no longer alive.
 */
export function createRunnerDir(parent: string): string {
  for (const name of readdirSync(parent)) {
    const pid = Number(/^pml-sandbox-(\d+)-/.exec(name)?.[1]);
    if (pid && pid !== process.pid && !isAlive(pid))
      rmSync(join(parent, name), { recursive: true, force: true });
  }
  return mkdtempSync(join(parent, `${RUNNER_DIR_PREFIX}${process.pid}-`));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function createDenoDir(parent: string): string {
  const denoDir = mkdtempSync(join(parent, 'deno-dir-'));
  writeFileSync(join(denoDir, 'location_data'), '');
  return denoDir;
}

export async function removeDenoDir(denoDir: string): Promise<void> {
  await rm(denoDir, { recursive: true, force: true }).catch(() => {});
}
