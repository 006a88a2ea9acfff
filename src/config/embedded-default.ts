// The servers pml runs when there is no config file: filesystem on the working directory and memory
// with its file in the data dir. Both are npm dependencies started with this Node, so no network.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function resolvePackageBin(packageName: string): string {
  const manifestPath = require.resolve(`${packageName}/package.json`);
  const manifest = require(manifestPath) as { bin: Record<string, string> | string };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : Object.values(manifest.bin)[0];
  if (!bin) throw new Error(`${packageName} declares no bin`);
  return join(dirname(manifestPath), bin);
}

export function buildEmbeddedServers(cwd: string, dataDir: string): Record<string, unknown> {
  return {
    filesystem: {
      command: process.execPath,
      args: [resolvePackageBin('@modelcontextprotocol/server-filesystem'), cwd],
    },
    memory: {
      command: process.execPath,
      args: [resolvePackageBin('@modelcontextprotocol/server-memory')],
      env: { MEMORY_FILE_PATH: join(dataDir, 'memory.jsonl') },
    },
  };
}
