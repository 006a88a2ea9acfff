// search_tools through the built gateway over stdio, in search mode, over the real bundled servers
// (filesystem and memory) with real PGlite storage in a data dir and the real USE-lite model: the
// right tool first for paraphrased queries, a warm restart that re-embeds nothing, the use that
// follows a search kept in storage, and a second process on the same data dir refused storage
// with a clear message while both keep serving.
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../src/storage/index.js';
import { startStdioGateway, type StdioGateway } from '../helpers/gateway.js';
import { NODE } from '../helpers/paths.js';

const require = createRequire(import.meta.url);
const packageBin = (name: string, bin: string) => join(dirname(require.resolve(`${name}/package.json`)), bin);
const dataDir = mkdtempSync(join(tmpdir(), 'pml-search-data-'));
const workDir = mkdtempSync(join(tmpdir(), 'pml-search-work-'));
const config = {
  mcpServers: {
    filesystem: {
      command: NODE,
      args: [packageBin('@modelcontextprotocol/server-filesystem', 'dist/index.js'), workDir],
    },
    memory: {
      command: NODE,
      args: [packageBin('@modelcontextprotocol/server-memory', 'dist/index.js')],
      env: { MEMORY_FILE_PATH: join(dataDir, 'memory.jsonl') },
    },
  },
  gateway: { toolsMode: 'search' },
};
const start = () => startStdioGateway(config, { env: { PML_DATA_DIR: dataDir } });

type Hit = { name: string; score: number; inputSchema: Record<string, unknown> };
type Status = {
  storage: { state: string; kind?: string };
  search: {
    started: boolean;
    tools?: number;
    embedded?: number;
    lexicalOnly?: boolean;
    lastIndexing?: { embedded: number; fromCache: number; fromMemory: number };
  };
};

async function searchTools(gateway: StdioGateway, query: string, limit?: number): Promise<Hit[]> {
  const answer = await gateway.client.callTool({
    name: 'search_tools',
    arguments: { query, ...(limit ? { limit } : {}) },
  });
  expect(answer.isError).toBeFalsy();
  return (answer.structuredContent as { hits: Hit[] }).hits;
}

async function statusOf(gateway: StdioGateway): Promise<Status> {
  const answer = await gateway.client.callTool({ name: 'gateway_status', arguments: {} });
  return answer.structuredContent as unknown as Status;
}

let first: StdioGateway | undefined;
let second: StdioGateway | undefined;
afterAll(async () => {
  await second?.close();
  await first?.close();
});

describe('search_tools over stdio', () => {
  it('lists only the meta-tools in search mode', async () => {
    first = await start();
    const { tools } = await first.client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['gateway_status', 'search_tools', 'execute_workflow']);
  });

  it.each([
    ['relocate a document into another folder', 'filesystem__move_file'],
    ['show the contents of a text document', 'filesystem__read_text_file'],
    ['forget the link between two people', 'memory__delete_relations'],
    ['remember new facts about someone I already know', 'memory__add_observations'],
    ['make a new folder', 'filesystem__create_directory'],
  ])('puts the right tool first for "%s"', async (query, expected) => {
    const hits = await searchTools(first!, query);
    expect(hits[0]?.name).toBe(expected);
  });

  it('answers with schemas ready to call, and the call that follows is kept as a use', async () => {
    const [hit] = await searchTools(first!, 'make a new folder', 1);
    expect(hit!.inputSchema).toMatchObject({ type: 'object', properties: { path: { type: 'string' } } });
    const made = await first!.client.callTool({
      name: hit!.name,
      arguments: { path: join(workDir, 'reports') },
    });
    expect(made.isError).toBeFalsy();

    const status = await statusOf(first!);
    expect(status.storage).toMatchObject({ state: 'open', kind: 'pglite' });
    expect(status.search).toMatchObject({ started: true, lexicalOnly: false });
    expect(status.search.embedded).toBe(status.search.tools);
  });

  it('clamps limits and refuses an empty query with a clear message', async () => {
    // Hits are the tools that match at all, at most MAX_LIMIT (50), however many are asked for.
    const many = await searchTools(first!, 'read a file', 1_000_000);
    expect(many.length).toBeGreaterThan(10);
    expect(many.length).toBeLessThanOrEqual(50);
    expect(await searchTools(first!, 'read a file', -1)).toHaveLength(1);
    const huge = await searchTools(first!, `read a file ${'very '.repeat(20_000)}`);
    expect(huge.length).toBeGreaterThan(0);
    const empty = await first!.client.callTool({ name: 'search_tools', arguments: { query: '   ' } });
    expect(empty.isError).toBe(true);
    expect((empty.content as { text: string }[])[0]!.text).toContain('search_tools needs a query');
  });

  it('refuses storage to a second process on the same data dir, which still serves', async () => {
    second = await start();
    const hits = await searchTools(second, 'make a new folder');
    expect(hits[0]?.name).toBe('filesystem__create_directory');
    const status = await statusOf(second);
    expect(status.storage.state).toBe('failed');
    expect(second.stderr()).toMatch(
      /storage is unavailable, going on without it: .*in use by another pml process: pid \d+/,
    );
    // The first one is unharmed.
    expect((await statusOf(first!)).storage.state).toBe('open');
    await second.close();
    second = undefined;
  });

  it('re-embeds nothing after a restart and keeps what it learned', async () => {
    await first!.close();
    first = undefined;
    const restarted = await start();
    first = restarted;
    await searchTools(restarted, 'list what is in a folder');
    const status = await statusOf(restarted);
    expect(status.search.lastIndexing).toMatchObject({ embedded: 0 });
    const { fromCache, fromMemory } = status.search.lastIndexing!;
    expect(fromCache + fromMemory).toBe(status.search.tools);
    expect(fromCache).toBeGreaterThan(0);
    // No indexing job of this process embedded anything: each one found every vector cached.
    expect(restarted.stderr()).not.toMatch(/search: embedding \d+ tool texts/);
    await restarted.close();
    first = undefined;

    const storage = await openStorage({ dataDir });
    try {
      const signals = await storage.signals.list();
      expect(signals.map((signal) => [signal.query, signal.tool])).toContainEqual([
        'make a new folder',
        'filesystem__create_directory',
      ]);
    } finally {
      await storage.close();
    }
  });
});
