// The metrics port: what the gateway records per request, and the plain-JSON snapshot it shows in
// gateway_status, writes for `pml stats` and renders for Prometheus.
import type { LatencyStats, MetricsSnapshot } from './snapshot-schema.js';

/** Wall-clock time in epoch milliseconds; tests pass a fake one to pin throughput. */
export interface Clock {
  now(): number;
}

/** One labelled histogram as Prometheus sees it: cumulative bucket counts, `_sum` and `_count`. */
export interface HistogramSeries {
  labels: ReadonlyArray<readonly [name: string, value: string]>;
  /** Cumulative counts, one per bucket bound (the `+Inf` bucket is `count`). */
  cumulativeCounts: number[];
  sumSeconds: number;
  count: number;
}

export interface MetricsRegistry {
  readonly startedAtMs: number;
  /** Grows with every recording: a cheap way to tell whether a snapshot is out of date. */
  readonly changes: number;
  /**
   * An inbound MCP request finished. `tool` is the exposed tool name for tools/call; `errorType` is
   * undefined on success, else `tool_error`, a JSON-RPC code, or `_OTHER` (see toErrorType).
   */
  recordOperation(
    operation: string,
    method: string,
    tool: string | undefined,
    durationMs: number,
    errorType: string | undefined,
  ): void;
  /** A request pml sent to a downstream server finished. */
  recordDownstream(serverId: string, method: string, durationMs: number, errorType: string | undefined): void;
  toSnapshot(): MetricsSnapshot;
  /** The most granular series, for exposition: `boundsSeconds` are the bucket upper bounds. */
  collectHistograms(boundsSeconds: readonly number[]): {
    server: HistogramSeries[];
    client: HistogramSeries[];
  };
}

export type { LatencyStats, MetricsSnapshot };
