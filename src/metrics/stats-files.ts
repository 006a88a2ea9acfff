// The snapshot on disk, so `pml stats` (another process) can read a gateway that runs under an MCP
// client, or that already stopped: one `<pid>.json` per gateway, replaced atomically.
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../shared/logger.js';
import { statsFileSchema, type StatsFile } from './snapshot-schema.js';
import type { MetricsRegistry } from './types.js';

const STATS_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
// `pml stats` run right after some calls should show them: the snapshot is rewritten this soon after
// a change. Checking costs one comparison per tick, nothing on the call path.
const FRESH_AFTER_CHANGE_MS = 250;
const STATS_FILE_PATTERN = /^\d+\.json(\.tmp)?$/;

export interface StatsWriterOptions {
  dir: string;
  registry: MetricsRegistry;
  intervalMs: number;
  logger: Logger;
  transport?: string | undefined;
  configSource?: string | undefined;
  retentionMs?: number | undefined;
}

export interface StatsWriter {
  /**
   * Writes at once, then within a quarter second of any new recording and at least every
   * `intervalMs`; prunes files older than the retention.
   */
  start(): void;
  /** The last write, marked stopped. Idempotent. */
  close(): Promise<void>;
}

export function createStatsWriter(options: StatsWriterOptions): StatsWriter {
  const { dir, registry, logger } = options;
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  let closed = false;
  let warned = false;
  // Writes run one after another, so the final one (stoppedAt) cannot be overtaken by a periodic one.
  let queue: Promise<void> = Promise.resolve();
  let writtenChanges = -1;
  let writtenAtMs = 0;

  const writeOnce = async (stoppedAt: string | undefined) => {
    writtenChanges = registry.changes;
    writtenAtMs = Date.now();
    const snapshot = registry.toSnapshot();
    const content: StatsFile = {
      schemaVersion: 1,
      ...(options.transport ? { transport: options.transport } : {}),
      ...(options.configSource ? { configSource: options.configSource } : {}),
      ...snapshot,
      ...(stoppedAt ? { stoppedAt } : {}),
    };
    const path = join(dir, `${snapshot.pid}.json`);
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(`${path}.tmp`, `${JSON.stringify(content)}\n`);
      await rename(`${path}.tmp`, path);
    } catch (error) {
      // A read-only data dir costs `pml stats`, never the gateway; say so once.
      const fields = { error: String(error) };
      if (warned) logger.debug(`could not write stats to ${dir}`, fields);
      else logger.warn(`could not write stats for \`pml stats\` to ${dir}`, fields);
      warned = true;
    }
  };
  let writesQueued = 0;
  const write = (stoppedAt?: string) => {
    writesQueued++;
    return (queue = queue.then(() => writeOnce(stoppedAt)).finally(() => writesQueued--));
  };

  return {
    start() {
      if (started || closed) return;
      started = true;
      void write().then(() => pruneStatsFiles(dir, options.retentionMs ?? STATS_RETENTION_MS, logger));
      const isStale = () =>
        registry.changes !== writtenChanges || Date.now() - writtenAtMs >= options.intervalMs;
      timer = setInterval(
        () => {
          if (writesQueued === 0 && isStale()) void write();
        },
        Math.min(options.intervalMs, FRESH_AFTER_CHANGE_MS),
      );
      timer.unref();
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      await write(new Date().toISOString());
    },
  };
}

async function pruneStatsFiles(dir: string, retentionMs: number, logger: Logger): Promise<void> {
  const names = await readdir(dir).catch(() => []);
  const oldestMs = Date.now() - retentionMs;
  for (const name of names.filter((entry) => STATS_FILE_PATTERN.test(entry))) {
    const path = join(dir, name);
    try {
      if ((await stat(path)).mtimeMs < oldestMs) await unlink(path);
    } catch (error) {
      logger.debug('could not prune an old stats file', { path, error: String(error) });
    }
  }
}

export interface StatsEntry {
  stats: StatsFile;
  /** The process runs and has not written its final snapshot. */
  live: boolean;
}

/** Every readable stats file in `dir`, most recently updated first; unreadable ones are skipped. */
export async function loadStatsFiles(
  dir: string,
  isAlive: (pid: number) => boolean = isProcessAlive,
): Promise<StatsEntry[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const entries: StatsEntry[] = [];
  for (const name of names.filter((entry) => /^\d+\.json$/.test(entry))) {
    const parsed = statsFileSchema.safeParse(await readJson(join(dir, name)));
    if (!parsed.success) continue;
    const stats = parsed.data;
    entries.push({ stats, live: stats.stoppedAt === undefined && isAlive(stats.pid) });
  }
  return entries.sort((a, b) => b.stats.updatedAt.localeCompare(a.stats.updatedAt));
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** Signal 0 checks existence only; EPERM means the process exists but belongs to someone else. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
