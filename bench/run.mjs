// Runs every benchmark in bench/ (each *.mjs except this runner and lib.mjs) one after another, each
// in its own node process. `npm run bench` calls this after building.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const NOT_BENCHMARKS = new Set(['run.mjs', 'lib.mjs']);
const files = readdirSync(here)
  .filter((name) => name.endsWith('.mjs') && !NOT_BENCHMARKS.has(name))
  .sort();

const failed = [];
for (const name of files) {
  console.log(`\n=== bench/${name} ===`);
  const result = spawnSync(process.execPath, [join(here, name)], { stdio: 'inherit' });
  if (result.status !== 0) failed.push(`${name} (${result.status ?? result.signal ?? result.error})`);
}
if (failed.length > 0) {
  console.error(`\nbenchmarks that crashed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
