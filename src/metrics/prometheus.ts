// The registry in the Prometheus text format (0.0.4), for GET /metrics. Names follow the
// OpenTelemetry MCP metrics the way the Prometheus exporter converts them: dots become underscores
// and the unit `s` becomes the `_seconds` suffix.
import type { HistogramSeries, MetricsRegistry } from './types.js';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Upper bounds in seconds: sub-millisecond proxy hops up to a minute-long tool run. */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

const FAMILIES = [
  {
    side: 'server',
    name: 'mcp_server_operation_duration_seconds',
    help: 'Duration of the MCP requests pml answered (OpenTelemetry mcp.server.operation.duration).',
  },
  {
    side: 'client',
    name: 'mcp_client_operation_duration_seconds',
    help: 'Duration of the MCP requests pml sent to downstream servers (OpenTelemetry mcp.client.operation.duration).',
  },
] as const;

export function toPrometheus(registry: MetricsRegistry): string {
  const collected = registry.collectHistograms(LATENCY_BUCKETS_SECONDS);
  const lines: string[] = [];
  for (const family of FAMILIES) {
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} histogram`);
    for (const series of collected[family.side]) lines.push(...toSeriesLines(family.name, series));
  }
  return `${lines.join('\n')}\n`;
}

function toSeriesLines(name: string, series: HistogramSeries): string[] {
  const labels = series.labels.map(([label, value]) => `${label}="${toEscapedLabelValue(value)}"`).join(',');
  const lines = series.cumulativeCounts.map(
    (count, index) => `${name}_bucket{${labels},le="${LATENCY_BUCKETS_SECONDS[index]}"} ${count}`,
  );
  lines.push(
    `${name}_bucket{${labels},le="+Inf"} ${series.count}`,
    `${name}_sum{${labels}} ${series.sumSeconds}`,
    `${name}_count{${labels}} ${series.count}`,
  );
  return lines;
}

/** The text format escapes exactly three characters in label values: backslash, quote, newline. */
export function toEscapedLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
