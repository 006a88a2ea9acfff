// server-filesystem and server-memory, straight and through pml, each way with its own fresh temp
// state: the same tools, and the same answers to a sequence of calls that write, then read back.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listBareTools,
  openBothWays,
  runBothWays,
  type BothWays,
  type Side,
} from '../helpers/direct-and-through-pml.js';
import { NODE } from '../helpers/paths.js';

const require = createRequire(import.meta.url);
const serverBin = (name: string) =>
  join(dirname(require.resolve(`@modelcontextprotocol/${name}/package.json`)), 'dist', 'index.js');

const tempDirs: string[] = [];
const freshDir = () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'pml-wild-')));
  tempDirs.push(dir);
  return dir;
};

// Each way has its own folder, so the folder's path is the one thing that differs besides the prefix.
const withRoot = (root: string) => (value: unknown) =>
  JSON.parse(JSON.stringify(value).replaceAll(root, '<root>'));

const call = async (side: Side, name: string, args: Record<string, unknown>) =>
  side.client.callTool({ name: side.name(name), arguments: args });

let filesystem: BothWays;
let memory: BothWays;
const roots = { direct: freshDir(), pml: freshDir() };

beforeAll(async () => {
  const fsSpec = (root: string) => ({ command: NODE, args: [serverBin('server-filesystem'), root] });
  const memorySpec = (dir: string) => ({
    command: NODE,
    args: [serverBin('server-memory')],
    env: { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') },
  });
  [filesystem, memory] = await Promise.all([
    openBothWays({ fs: { direct: fsSpec(roots.direct), pml: fsSpec(roots.pml) } }),
    openBothWays({ memory: { direct: memorySpec(freshDir()), pml: memorySpec(freshDir()) } }),
  ]);
});

afterAll(async () => {
  await Promise.all([filesystem?.close(), memory?.close()]);
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('server-filesystem', () => {
  it('lists the same tools', async () => {
    const { direct, pml } = await runBothWays(filesystem, (side) => listBareTools(side, 'fs'));
    expect(direct.ok && direct.value.length).toBeGreaterThan(10);
    expect(pml).toEqual(direct);
  });

  it('answers a write-then-read sequence the same way', async () => {
    const { direct, pml } = await runBothWays(filesystem, async (side) => {
      const root = roots[side.way];
      const answers = [
        await call(side, 'create_directory', { path: join(root, 'notes') }),
        await call(side, 'write_file', { path: join(root, 'notes', 'a.txt'), content: 'alpha\nbeta\n' }),
        await call(side, 'edit_file', {
          path: join(root, 'notes', 'a.txt'),
          edits: [{ oldText: 'beta', newText: 'gamma' }],
        }),
        await call(side, 'read_text_file', { path: join(root, 'notes', 'a.txt') }),
        await call(side, 'move_file', {
          source: join(root, 'notes', 'a.txt'),
          destination: join(root, 'notes', 'b.txt'),
        }),
        await call(side, 'list_directory', { path: join(root, 'notes') }),
        await call(side, 'directory_tree', { path: root }),
        await call(side, 'search_files', { path: root, pattern: '**/*.txt' }),
        await call(side, 'list_allowed_directories', {}),
        // Outside the allowed folder: the server refuses, and the gateway still serves after it.
        await call(side, 'read_text_file', { path: '/etc/hostname' }),
        await call(side, 'read_text_file', { path: join(root, 'notes', 'b.txt') }),
      ];
      return withRoot(root)(answers);
    });
    expect(direct.ok).toBe(true);
    expect(pml).toEqual(direct);
  });
});

describe('server-memory', () => {
  it('lists the same tools', async () => {
    const { direct, pml } = await runBothWays(memory, (side) => listBareTools(side, 'memory'));
    expect(direct.ok && direct.value.length).toBeGreaterThan(5);
    expect(pml).toEqual(direct);
  });

  it('answers a write-then-read sequence the same way', async () => {
    const { direct, pml } = await runBothWays(memory, async (side) => [
      await call(side, 'create_entities', {
        entities: [
          { name: 'Ada', entityType: 'person', observations: ['wrote the first program'] },
          { name: 'Engine', entityType: 'machine', observations: [] },
        ],
      }),
      await call(side, 'create_relations', {
        relations: [{ from: 'Ada', to: 'Engine', relationType: 'programmed' }],
      }),
      await call(side, 'add_observations', {
        observations: [{ entityName: 'Engine', contents: ['analytical'] }],
      }),
      await call(side, 'delete_observations', {
        deletions: [{ entityName: 'Ada', observations: ['wrote the first program'] }],
      }),
      await call(side, 'read_graph', {}),
      await call(side, 'search_nodes', { query: 'analytical' }),
      await call(side, 'open_nodes', { names: ['Ada'] }),
      // A name that does not exist, then one more call that works.
      await call(side, 'add_observations', { observations: [{ entityName: 'Nobody', contents: ['x'] }] }),
      await call(side, 'read_graph', {}),
    ]);
    expect(direct.ok).toBe(true);
    expect(pml).toEqual(direct);
  });
});
