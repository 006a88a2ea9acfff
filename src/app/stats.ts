// `pml stats`: the local metrics of gateway processes, read from the files `pml serve` writes, so it
// works while a gateway runs under an MCP client and after it stopped.
import { join } from 'node:path';
import { loadStatsFiles, toStatsReport, type StatsEntry } from '../metrics/index.js';
import type { AppContext } from './context.js';
import { installShutdownHandlers } from './lifecycle.js';
import { writeOut } from './output.js';

export interface StatsOptions {
  json: boolean;
  /** Every gateway process with stats, not only the most recently updated one. */
  all: boolean;
}

export async function runStats(context: AppContext, options: StatsOptions): Promise<number> {
  // Nothing to stop, but a signal ends it with 130/143 as it ends every command.
  installShutdownHandlers({
    logger: context.logger,
    close: async () => {},
    giveUpAfterMs: 0,
    exitOnStdinEnd: false,
  });
  const dir = join(context.config.dataDir, 'stats');
  const entries = await loadStatsFiles(dir);
  if (entries.length === 0) {
    const message = `No stats yet in ${dir}: run \`pml serve\` first (it writes its metrics there while it runs).`;
    if (!options.json) writeOut(message);
    else {
      context.logger.warn(message);
      writeOut(options.all ? '[]' : 'null');
    }
    return 0;
  }
  const shown = options.all ? entries : entries.slice(0, 1);
  if (options.json) {
    const values = shown.map(toJsonEntry);
    writeOut(JSON.stringify(options.all ? values : values[0], null, 2));
    return 0;
  }
  const nowMs = Date.now();
  writeOut(shown.map((entry) => toStatsReport(entry, nowMs)).join('\n\n'));
  const hidden = entries.length - shown.length;
  if (hidden > 0)
    writeOut(`\n${hidden} more gateway process${hidden === 1 ? ' has' : 'es have'} stats: pml stats --all`);
  return 0;
}

function toJsonEntry(entry: StatsEntry) {
  return { status: entry.live ? 'live' : 'stopped', ...entry.stats };
}
