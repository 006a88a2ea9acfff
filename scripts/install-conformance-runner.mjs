// Installs the MCP conformance suite and the Node 22 it needs into tools/conformance, apart from
// pml's own node_modules: a `node` package there would shadow the machine's Node in every npm
// script. Runs after `npm ci`/`npm install` of pml; does nothing when pml is installed elsewhere.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const folder = fileURLToPath(new URL('../tools/conformance/', import.meta.url));
if (existsSync(`${folder}package-lock.json`)) {
  const npm = process.env.npm_execpath;
  const [command, args] = npm ? [process.execPath, [npm]] : ['npm', []];
  execFileSync(command, [...args, 'ci', '--no-audit', '--no-fund'], { cwd: folder, stdio: 'inherit' });
}
