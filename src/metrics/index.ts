// Public door of local metrics: the in-process registry, its Prometheus rendering, and the stats
// files that let `pml stats` read a gateway from another process.
export { createMetricsRegistry, OVERFLOW_LABEL } from './registry.js';
export type { MetricsRegistryOptions } from './registry.js';
export type { Clock, HistogramSeries, MetricsRegistry } from './types.js';
export type {
  DownstreamStats,
  LatencyStats,
  MetricsSnapshot,
  OperationStats,
  StatsFile,
} from './snapshot-schema.js';
export { toErrorType, TOOL_ERROR } from './error-type.js';
export { toPrometheus, PROMETHEUS_CONTENT_TYPE, LATENCY_BUCKETS_SECONDS } from './prometheus.js';
export { createStatsWriter, loadStatsFiles, isProcessAlive } from './stats-files.js';
export type { StatsEntry, StatsWriter, StatsWriterOptions } from './stats-files.js';
export { toStatsReport } from './format-stats.js';
