// One process owns a PGlite data dir. Real second processes (node on the BUILT storage module,
// dist/storage/index.js: `npm test` builds first) try to open it while this one holds it, after it
// closed, and after a holder was killed with SIGKILL.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE_NAME, openStorage, type Storage } from '../../src/storage/index.js';
import { NODE, ROOT } from '../helpers/paths.js';
import { createRecordingLogger } from '../helpers/recording-logger.js';

const BUILT_STORAGE = pathToFileURL(join(ROOT, 'dist', 'storage', 'index.js')).href;

// Opens storage on PML_TEST_DATA_DIR, adds a tool of server PML_TEST_SERVER, and prints one JSON
// line: what it found, or the error. PML_TEST_THEN says what to do next: close, exit without
// closing, or stay open until killed.
const CHILD_SCRIPT = `
const { openStorage } = await import(${JSON.stringify(BUILT_STORAGE)});
const { PML_TEST_DATA_DIR: dataDir, PML_TEST_SERVER: serverId, PML_TEST_THEN: then } = process.env;
let storage;
try {
  storage = await openStorage({ dataDir });
} catch (error) {
  console.log(JSON.stringify({ opened: false, name: error.name, message: error.message, data: error.data }));
  process.exit(0);
}
await storage.tools.sync(serverId, [{ name: 'tool', inputSchema: { type: 'object' } }]);
const servers = [...new Set((await storage.tools.list()).map((tool) => tool.serverId))];
console.log(JSON.stringify({ opened: true, pid: process.pid, servers }));
if (then === 'close') await storage.close();
if (then === 'exit' || then === 'close') process.exit(0);
setInterval(() => {}, 60_000);
`;

interface ChildReport {
  opened: boolean;
  pid?: number;
  servers?: string[];
  name?: string;
  message?: string;
  data?: Record<string, unknown>;
}

interface Child {
  report: Promise<ChildReport>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

function startChild(dataDir: string, serverId: string, then: 'close' | 'exit' | 'stay'): Child {
  const child = spawn(NODE, ['--input-type=module', '-e', CHILD_SCRIPT], {
    env: { ...process.env, PML_TEST_DATA_DIR: dataDir, PML_TEST_SERVER: serverId, PML_TEST_THEN: then },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const report = new Promise<ChildReport>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const line = stdout.split('\n').find((candidate) => candidate.startsWith('{'));
      if (line && stdout.includes('\n')) resolve(JSON.parse(line) as ChildReport);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    void exited.then(({ code }) => reject(new Error(`child exited (${code}) without a report: ${stderr}`)));
  });
  return { report, exited, kill: (signal) => child.kill(signal) };
}

describe('the PGlite data dir lock', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pml-storage-lock-'));
  const lockPath = join(dataDir, LOCK_FILE_NAME);
  let storage: Storage | undefined;

  beforeAll(async () => {
    storage = await openStorage({ dataDir });
    await storage.tools.sync('first', [{ name: 'tool', inputSchema: { type: 'object' } }]);
  });

  afterAll(async () => {
    await storage?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a second process while this one holds it, says who holds it and what to do, and loses nothing', async () => {
    const child = startChild(dataDir, 'second', 'close');

    const report = await child.report;

    expect(report).toMatchObject({
      opened: false,
      name: 'DatabaseError',
      data: { operation: 'open', store: 'pglite' },
    });
    expect(report.message).toContain(
      `is in use by another pml process: pid ${process.pid} on this host (${hostname()})`,
    );
    expect(report.message).toMatch(/Stop that process, or set PML_DATA_DIR to another folder.*DATABASE_URL/);
    expect(report.message).toContain(lockPath);
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({
      pid: process.pid,
      hostname: hostname(),
    });
    await storage!.tools.sync('first-again', [{ name: 'tool', inputSchema: { type: 'object' } }]);
    expect((await storage!.tools.list()).map((tool) => tool.serverId)).toEqual(['first', 'first-again']);
  });

  it('lets another process in once this one has closed, and that process releases it on exit', async () => {
    await storage!.close();
    storage = undefined;
    expect(existsSync(lockPath)).toBe(false);

    const child = startChild(dataDir, 'second', 'exit');

    expect(await child.report).toMatchObject({ opened: true, servers: ['first', 'first-again', 'second'] });
    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(lockPath)).toBe(false);
  });

  it('takes over, with a warning, the lock of a process killed with SIGKILL, and finds its data', async () => {
    const child = startChild(dataDir, 'killed', 'stay');
    const { pid } = await child.report;
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({ pid });

    child.kill('SIGKILL');
    expect(await child.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(existsSync(lockPath)).toBe(true);

    const logger = createRecordingLogger();
    storage = await openStorage({ dataDir, logger });

    expect(logger.warnings).toEqual([
      'storage: taking over a stale lock of the data dir (its process is gone)',
    ]);
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({ pid: process.pid });
    expect(new Set((await storage.tools.list()).map((tool) => tool.serverId))).toEqual(
      new Set(['first', 'first-again', 'second', 'killed']),
    );
  });
});
