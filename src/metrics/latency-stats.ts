// Reads count, errors, percentiles and throughput out of the cells of one series (one cell per
// outcome: '' for success, else the error type). Runs at snapshot time, never on the request path.
import { buildHistogram, type LatencyCell } from './latency-cell.js';
import type { LatencyStats } from './snapshot-schema.js';

/** Cells of one label set, keyed by outcome: '' is success, anything else an error type. */
export type CellsByOutcome = Map<string, LatencyCell>;

export const OK_OUTCOME = '';

export function toLatencyStats(groups: Iterable<CellsByOutcome>, windowSeconds: number): LatencyStats {
  const cells: LatencyCell[] = [];
  const errorTypes: Record<string, number> = {};
  let errors = 0;
  for (const group of groups) {
    for (const [outcome, cell] of group) {
      cells.push(cell);
      if (outcome === OK_OUTCOME) continue;
      errors += cell.count;
      errorTypes[outcome] = (errorTypes[outcome] ?? 0) + cell.count;
    }
  }
  const histogram = cells.length === 1 ? cells[0]!.histogram : buildHistogram();
  if (cells.length !== 1) for (const cell of cells) histogram.add(cell.histogram);
  const count = histogram.totalCount;
  const sumUs = cells.reduce((sum, cell) => sum + cell.sumUs, 0);
  const maxUs = cells.reduce((max, cell) => Math.max(max, cell.maxUs), 0);
  // The histogram answers with the top of a value's slot; a percentile above the exact max reads odd.
  const toPercentileMs = (percentile: number) =>
    toMs(Math.min(histogram.getValueAtPercentile(percentile), maxUs));
  return {
    count,
    errors,
    errorRate: count === 0 ? 0 : round(errors / count, 4),
    p50Ms: toPercentileMs(50),
    p95Ms: toPercentileMs(95),
    p99Ms: toPercentileMs(99),
    meanMs: count === 0 ? 0 : toMs(sumUs / count),
    maxMs: toMs(maxUs),
    throughputPerSec: count === 0 ? 0 : Number((count / Math.max(windowSeconds, 1)).toPrecision(4)),
    ...(errors > 0 ? { errorTypes } : {}),
    firstAt: new Date(
      cells.reduce((first, cell) => Math.min(first, cell.firstAtMs), cells[0]?.firstAtMs ?? 0),
    ).toISOString(),
    lastAt: new Date(cells.reduce((last, cell) => Math.max(last, cell.lastAtMs), 0)).toISOString(),
  };
}

function toMs(micros: number): number {
  return round(micros / 1000, 3);
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
