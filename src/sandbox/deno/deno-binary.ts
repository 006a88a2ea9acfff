// Finds the Deno executable that the `deno` npm package installed: its postinstall copies the
// binary beside its package.json, and the platform package (`@deno/linux-x64-glibc`, ...) holds
// the original when that copy could not be made (a read-only file system).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The path of a Deno binary, or undefined with the places it looked. */
export function resolveDenoBinary(): { path: string } | { problem: string } {
  const fileName = process.platform === 'win32' ? 'deno.exe' : 'deno';
  const candidates: string[] = [];
  for (const packageName of ['deno', `@deno/${toPlatformPackage()}`]) {
    try {
      candidates.push(join(dirname(require.resolve(`${packageName}/package.json`)), fileName));
    } catch {
      // Not installed: try the next one.
    }
  }
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found) return { path: found };
  const looked = candidates.length > 0 ? ` (looked at ${candidates.join(', ')})` : '';
  return { problem: `no Deno binary from the deno npm package was found${looked}; run npm ci` };
}

function toPlatformPackage(): string {
  const platform = process.platform === 'win32' ? 'win32' : process.platform;
  return platform === 'linux' ? `linux-${process.arch}-glibc` : `${platform}-${process.arch}`;
}
