// Stats files on a real temp dir: written atomically, marked stopped at close, read back newest
// first, old ones pruned, broken ones skipped.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../shared/logger.js';
import { toStatsReport } from './format-stats.js';
import { createMetricsRegistry } from './registry.js';
import { createStatsWriter, isProcessAlive, loadStatsFiles } from './stats-files.js';

function createStatsDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'pml-stats-')), 'stats');
}

describe('stats files', () => {
  it('writes the snapshot at start and marks it stopped at close', async () => {
    const dir = createStatsDir();
    const registry = createMetricsRegistry({ pid: 4242 });
    const writer = createStatsWriter({
      dir,
      registry,
      intervalMs: 60_000,
      logger: silentLogger,
      transport: 'stdio',
    });
    writer.start();
    registry.recordOperation('mcp.tools.call', 'tools/call', 'fixture__echo', 3, undefined);
    await writer.close();
    await writer.close();
    expect(readdirSync(dir)).toEqual(['4242.json']);
    const written = JSON.parse(readFileSync(join(dir, '4242.json'), 'utf8')) as Record<string, unknown>;
    expect(written).toMatchObject({ schemaVersion: 1, pid: 4242, transport: 'stdio' });
    expect(written.stoppedAt).toEqual(expect.any(String));
    expect(written.tools).toEqual([expect.objectContaining({ tool: 'fixture__echo', count: 1 })]);
  });

  it('rewrites the file on its interval while the gateway runs', async () => {
    const dir = createStatsDir();
    const registry = createMetricsRegistry({ pid: 7 });
    const writer = createStatsWriter({ dir, registry, intervalMs: 20, logger: silentLogger });
    writer.start();
    registry.recordDownstream('fixture', 'tools/call', 1, undefined);
    await expect
      .poll(() => existsSync(join(dir, '7.json')) && readFileSync(join(dir, '7.json'), 'utf8'))
      .toContain('"serverId":"fixture"');
    await writer.close();
  });

  it('reads every gateway newest first, live only when running and not stopped', async () => {
    const dir = createStatsDir();
    for (const [pid, startMs] of [
      [11, 1_000],
      [12, 3_000],
      [13, 2_000],
    ] as const) {
      const registry = createMetricsRegistry({ pid, clock: { now: () => startMs } });
      const writer = createStatsWriter({ dir, registry, intervalMs: 60_000, logger: silentLogger });
      writer.start();
      if (pid === 13) await writer.close();
      else await expect.poll(() => existsSync(join(dir, `${pid}.json`))).toBe(true);
    }
    writeFileSync(join(dir, '99.json'), '{ not json');
    writeFileSync(join(dir, '98.json'), JSON.stringify({ pid: 98 }));
    const entries = await loadStatsFiles(dir, (pid) => pid !== 11);
    expect(entries.map((entry) => [entry.stats.pid, entry.live])).toEqual([
      [12, true],
      [13, false],
      [11, false],
    ]);
  });

  it('prunes stats files older than the retention when it starts writing', async () => {
    const dir = createStatsDir();
    mkdirSync(dir, { recursive: true });
    const old = join(dir, '5.json');
    writeFileSync(old, '{}');
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
    utimesSync(old, tenDaysAgo, tenDaysAgo);
    writeFileSync(join(dir, '6.json'), '{}');
    const writer = createStatsWriter({
      dir,
      registry: createMetricsRegistry({ pid: 8 }),
      intervalMs: 60_000,
      logger: silentLogger,
    });
    writer.start();
    await expect.poll(() => existsSync(old)).toBe(false);
    await writer.close();
    expect(readdirSync(dir).sort()).toEqual(['6.json', '8.json']);
  });

  it('finds no stats in a directory that does not exist', async () => {
    expect(await loadStatsFiles(join(createStatsDir(), 'nowhere'))).toEqual([]);
  });

  it('knows this process is alive', () => {
    expect(isProcessAlive(process.pid)).toBe(true);
  });

  it('renders a readable report with operations, tools and downstream servers', () => {
    const registry = createMetricsRegistry({
      pid: 21,
      clock: { now: () => Date.parse('2025-01-01T00:00:00Z') },
    });
    registry.recordOperation('mcp.tools.call', 'tools/call', 'fixture__echo', 1.5, undefined);
    registry.recordOperation('mcp.tools.call', 'tools/call', 'fixture__fail', 2, 'tool_error');
    registry.recordDownstream('fixture', 'tools/call', 1, undefined);
    const stats = { schemaVersion: 1 as const, transport: 'stdio', ...registry.toSnapshot() };
    const report = toStatsReport({ stats, live: false }, Date.parse('2025-01-01T00:01:00Z'));
    expect(report).toMatch(/^pml gateway pid 21 \(stopped, stdio\): started 1 min ago, updated 1 min ago/);
    expect(report).toMatch(/^mcp\.tools\.call\s+2\s+1\s+50\.0%\s+1\.50\s+2\.00\s+2\.00\s+2\.00\s+/m);
    expect(report).toMatch(/^ {2}fixture__fail\s+1\s+1\s+100\.0%/m);
    expect(report).toMatch(/^fixture\s+1\s+0\s+0\.0%/m);
    expect(report).toMatch(/^ {2}tools\/call\s+1/m);
  });
});
