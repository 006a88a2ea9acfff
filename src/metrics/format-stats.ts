// `pml stats` for people: one gateway process as two tables, inbound operations (with their tools)
// and downstream servers (with their methods).
import type { LatencyStats } from './snapshot-schema.js';
import type { StatsEntry } from './stats-files.js';

const HEADER = ['count', 'errors', 'err %', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'req/s'];

export function toStatsReport(entry: StatsEntry, nowMs: number): string {
  const { stats } = entry;
  const state = entry.live ? 'live' : 'stopped';
  const via = stats.transport ? `, ${stats.transport}` : '';
  const until = stats.stoppedAt
    ? `stopped ${toAge(stats.stoppedAt, nowMs)}`
    : `updated ${toAge(stats.updatedAt, nowMs)}`;
  const lines = [
    `pml gateway pid ${stats.pid} (${state}${via}): started ${toAge(stats.startedAt, nowMs)}, ${until}`,
  ];
  if (stats.configSource) lines.push(`config: ${stats.configSource}`);
  if (stats.operations.length === 0) {
    lines.push('', 'No requests yet.');
    return lines.join('\n');
  }
  const operationRows: string[][] = [];
  for (const operation of stats.operations) {
    operationRows.push([operation.operation, ...toCells(operation)]);
    const tools = stats.tools.filter((tool) => tool.operation === operation.operation);
    for (const tool of tools.sort((a, b) => b.count - a.count))
      operationRows.push([`  ${tool.tool ?? ''}`, ...toCells(tool)]);
  }
  lines.push('', ...toTable(['operation / tool', ...HEADER], operationRows));
  if (stats.downstreamServers.length > 0) {
    const serverRows: string[][] = [];
    for (const server of stats.downstreamServers) {
      serverRows.push([server.serverId, ...toCells(server)]);
      for (const request of stats.downstreamRequests.filter((entry) => entry.serverId === server.serverId))
        serverRows.push([`  ${request.method ?? ''}`, ...toCells(request)]);
    }
    lines.push('', ...toTable(['downstream server / method', ...HEADER], serverRows));
  }
  return lines.join('\n');
}

function toCells(stats: LatencyStats): string[] {
  return [
    String(stats.count),
    String(stats.errors),
    `${(stats.errorRate * 100).toFixed(1)}%`,
    toFixedMs(stats.p50Ms),
    toFixedMs(stats.p95Ms),
    toFixedMs(stats.p99Ms),
    toFixedMs(stats.maxMs),
    stats.throughputPerSec.toFixed(3),
  ];
}

function toFixedMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(2);
}

/** First column left-aligned, numbers right-aligned, two spaces between columns. */
function toTable(header: string[], rows: string[][]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  return all.map((row) =>
    row
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[column]!)))
      .join('  ')
      .trimEnd(),
  );
}

function toAge(isoTime: string, nowMs: number): string {
  const seconds = Math.max(0, Math.round((nowMs - Date.parse(isoTime)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${(seconds / 3600).toFixed(1)} h ago`;
  return `${(seconds / 86_400).toFixed(1)} days ago (${isoTime})`;
}
