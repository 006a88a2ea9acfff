// The in-process metrics registry: a latency histogram, count and errors per inbound operation, per
// tool and per downstream server and method. Recording is a few map lookups and one histogram write.
import { LatencyCell, toMicros } from './latency-cell.js';
import { OK_OUTCOME, toLatencyStats, type CellsByOutcome } from './latency-stats.js';
import type { MetricsSnapshot } from './snapshot-schema.js';
import type { Clock, HistogramSeries, MetricsRegistry } from './types.js';

/** The value a capped label takes once its distinct values run out (OpenTelemetry's convention). */
export const OVERFLOW_LABEL = '_OTHER';
// Tool names come from clients (a typo is a new name) and error types from servers: both are capped
// so a misbehaving peer cannot grow the registry without bound.
const MAX_TOOL_LABELS = 200;
const MAX_ERROR_TYPES = 20;

export interface MetricsRegistryOptions {
  clock?: Clock | undefined;
  pid?: number | undefined;
  maxToolLabels?: number | undefined;
}

interface OperationSeries {
  method: string;
  cells: CellsByOutcome;
  tools: Map<string, CellsByOutcome>;
}

export function createMetricsRegistry(options: MetricsRegistryOptions = {}): MetricsRegistry {
  const clock = options.clock ?? { now: () => Date.now() };
  const pid = options.pid ?? process.pid;
  const maxToolLabels = options.maxToolLabels ?? MAX_TOOL_LABELS;
  const startedAtMs = clock.now();
  const operations = new Map<string, OperationSeries>();
  const downstream = new Map<string, Map<string, CellsByOutcome>>();
  const toolLabels = new Set<string>();
  const errorTypes = new Set<string>();

  const toToolLabel = (tool: string): string => {
    if (toolLabels.has(tool)) return tool;
    if (toolLabels.size >= maxToolLabels) return OVERFLOW_LABEL;
    toolLabels.add(tool);
    return tool;
  };
  const toOutcome = (errorType: string | undefined): string => {
    if (errorType === undefined) return OK_OUTCOME;
    if (errorTypes.has(errorType)) return errorType;
    if (errorType === OK_OUTCOME || errorTypes.size >= MAX_ERROR_TYPES) return OVERFLOW_LABEL;
    errorTypes.add(errorType);
    return errorType;
  };

  let changes = 0;
  return {
    startedAtMs,
    get changes() {
      return changes;
    },
    recordOperation(operation, method, tool, durationMs, errorType) {
      changes++;
      // Metrics never break a request: whatever goes wrong here is dropped.
      try {
        const nowMs = clock.now();
        const durationUs = toMicros(durationMs);
        const outcome = toOutcome(errorType);
        let series = operations.get(operation);
        if (!series) operations.set(operation, (series = { method, cells: new Map(), tools: new Map() }));
        recordIn(series.cells, outcome, durationUs, nowMs);
        if (tool === undefined) return;
        const label = toToolLabel(tool);
        let toolCells = series.tools.get(label);
        if (!toolCells) series.tools.set(label, (toolCells = new Map()));
        recordIn(toolCells, outcome, durationUs, nowMs);
      } catch {
        // dropped on purpose, see above
      }
    },

    recordDownstream(serverId, method, durationMs, errorType) {
      changes++;
      try {
        const nowMs = clock.now();
        let methods = downstream.get(serverId);
        if (!methods) downstream.set(serverId, (methods = new Map()));
        let cells = methods.get(method);
        if (!cells) methods.set(method, (cells = new Map()));
        recordIn(cells, toOutcome(errorType), toMicros(durationMs), nowMs);
      } catch {
        // dropped on purpose, see recordOperation
      }
    },

    toSnapshot(): MetricsSnapshot {
      const nowMs = clock.now();
      const windowSeconds = (nowMs - startedAtMs) / 1000;
      const snapshot: MetricsSnapshot = {
        pid,
        startedAt: new Date(startedAtMs).toISOString(),
        updatedAt: new Date(nowMs).toISOString(),
        operations: [],
        tools: [],
        downstreamServers: [],
        downstreamRequests: [],
      };
      for (const [operation, series] of toSorted(operations)) {
        const { method } = series;
        snapshot.operations.push({ operation, method, ...toLatencyStats([series.cells], windowSeconds) });
        for (const [tool, cells] of toSorted(series.tools))
          snapshot.tools.push({ operation, method, tool, ...toLatencyStats([cells], windowSeconds) });
      }
      for (const [serverId, methods] of toSorted(downstream)) {
        snapshot.downstreamServers.push({ serverId, ...toLatencyStats(methods.values(), windowSeconds) });
        for (const [method, cells] of toSorted(methods))
          snapshot.downstreamRequests.push({ serverId, method, ...toLatencyStats([cells], windowSeconds) });
      }
      return snapshot;
    },

    collectHistograms(boundsSeconds) {
      const boundsUs = boundsSeconds.map((bound) => Math.round(bound * 1_000_000));
      const server: HistogramSeries[] = [];
      const client: HistogramSeries[] = [];
      for (const [operation, series] of toSorted(operations)) {
        const base: [string, string][] = [
          ['mcp_method_name', series.method],
          ['pml_operation', operation],
        ];
        // tools/call series carry the tool label; summing them gives the operation's total.
        if (series.tools.size === 0) addSeries(server, base, series.cells, boundsUs);
        for (const [tool, cells] of toSorted(series.tools))
          addSeries(server, [...base, ['gen_ai_tool_name', tool]], cells, boundsUs);
      }
      for (const [serverId, methods] of toSorted(downstream)) {
        for (const [method, cells] of toSorted(methods)) {
          const labels: [string, string][] = [
            ['mcp_server_id', serverId],
            ['mcp_method_name', method],
          ];
          addSeries(client, labels, cells, boundsUs);
        }
      }
      return { server, client };
    },
  };
}

function recordIn(cells: CellsByOutcome, outcome: string, durationUs: number, nowMs: number): void {
  let cell = cells.get(outcome);
  if (!cell) cells.set(outcome, (cell = new LatencyCell(nowMs, outcome === OK_OUTCOME ? 3 : 2)));
  cell.record(durationUs, nowMs);
}

function addSeries(
  into: HistogramSeries[],
  labels: [string, string][],
  cells: CellsByOutcome,
  boundsUs: readonly number[],
): void {
  for (const [outcome, cell] of toSorted(cells)) {
    const perBucket = boundsUs.map(() => 0);
    cell.addBucketCounts(boundsUs, perBucket);
    let running = 0;
    into.push({
      labels: outcome === OK_OUTCOME ? labels : [...labels, ['error_type', outcome]],
      cumulativeCounts: perBucket.map((count) => (running += count)),
      sumSeconds: cell.sumUs / 1_000_000,
      count: cell.count,
    });
  }
}

function toSorted<V>(map: Map<string, V>): [string, V][] {
  return [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
