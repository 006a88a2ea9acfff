// Finds every process a test started, by a tag in its environment: wrappers, servers and their
// children all inherit it, so none escapes the orphan check, whatever its parent pid became.
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { isAlive } from './processes.js';

export const PROCESS_TAG_VARIABLE = 'PML_TEST_PROCESS_TAG';

export function createProcessTag(): string {
  return `pml-test-${randomUUID()}`;
}

/** The live (not zombie) processes whose environment carries `tag`. */
export function listTaggedProcesses(tag: string): number[] {
  const needle = `${PROCESS_TAG_VARIABLE}=${tag}`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    } catch {
      continue; // gone, or another user's
    }
    if (environ.split('\0').includes(needle) && isAlive(pid)) found.push(pid);
  }
  return found;
}
