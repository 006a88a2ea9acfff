// The Prometheus text output, read back by a small parser of the 0.0.4 format.
import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS_SECONDS, toEscapedLabelValue, toPrometheus } from './prometheus.js';
import { createMetricsRegistry } from './registry.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses sample and comment lines; throws on anything the text format does not allow. */
function parseExposition(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.slice(0, -1).split('\n')) {
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .+$/.test(line)) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} (\S+)$/.exec(line);
    if (!sample) throw new Error(`not a valid exposition line: ${line}`);
    samples.push({ name: sample[1]!, labels: parseLabels(sample[2]!), value: Number(sample[3]) });
  }
  return { samples, types };
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const pattern = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/y;
  while (pattern.lastIndex < text.length) {
    const match = pattern.exec(text);
    if (!match) throw new Error(`bad labels: ${text}`);
    labels[match[1]!] = match[2]!.replace(/\\(.)/g, (_, char: string) => (char === 'n' ? '\n' : char));
  }
  return labels;
}

/** The series a sample belongs to: its family (without _bucket/_sum/_count) and labels but `le`. */
function toSeriesKey(sample: Sample): string {
  const family = sample.name.replace(/_(bucket|sum|count)$/, '');
  return family + JSON.stringify(Object.entries(sample.labels).filter(([name]) => name !== 'le'));
}

function buildRegistry() {
  const registry = createMetricsRegistry();
  for (const ms of [0.3, 0.8, 2, 7, 40, 300, 3_000, 90_000])
    registry.recordOperation('mcp.tools.call', 'tools/call', 'fixture__echo', ms, undefined);
  registry.recordOperation('mcp.tools.call', 'tools/call', 'fixture__fail', 3, 'tool_error');
  registry.recordOperation('mcp.tools.list', 'tools/list', undefined, 1, undefined);
  registry.recordDownstream('fixture', 'tools/call', 2, undefined);
  registry.recordDownstream('fixture', 'tools/call', 5_000, 'timeout');
  return registry;
}

describe('toPrometheus', () => {
  it('writes histograms whose buckets rise monotonically up to +Inf, which equals _count', () => {
    const { samples, types } = parseExposition(toPrometheus(buildRegistry()));
    expect(types.get('mcp_server_operation_duration_seconds')).toBe('histogram');
    expect(types.get('mcp_client_operation_duration_seconds')).toBe('histogram');
    const buckets = new Map<string, Sample[]>();
    for (const sample of samples.filter((s) => s.name.endsWith('_bucket')))
      buckets.set(toSeriesKey(sample), [...(buckets.get(toSeriesKey(sample)) ?? []), sample]);
    const counts = new Map(
      samples.filter((s) => s.name.endsWith('_count')).map((sample) => [toSeriesKey(sample), sample.value]),
    );
    expect(buckets.size).toBe(5);
    for (const [key, series] of buckets) {
      expect(series.map((sample) => sample.labels.le)).toEqual([
        ...LATENCY_BUCKETS_SECONDS.map(String),
        '+Inf',
      ]);
      for (let index = 1; index < series.length; index++)
        expect(series[index]!.value).toBeGreaterThanOrEqual(series[index - 1]!.value);
      expect(series.at(-1)!.value).toBe(counts.get(key));
    }
  });

  it('puts each duration in the bucket of its bound and sums in seconds', () => {
    const { samples } = parseExposition(toPrometheus(buildRegistry()));
    const echo = samples.filter((sample) => sample.labels.gen_ai_tool_name === 'fixture__echo');
    const at = (le: string) => echo.find((sample) => sample.labels.le === le)!.value;
    expect([
      at('0.0005'),
      at('0.001'),
      at('0.0025'),
      at('0.01'),
      at('0.05'),
      at('0.5'),
      at('5'),
      at('60'),
    ]).toEqual([1, 2, 3, 4, 5, 6, 7, 7]);
    expect(at('+Inf')).toBe(8);
    const sum = echo.find((sample) => sample.name.endsWith('_sum'))!.value;
    expect(sum).toBeCloseTo(93.3501, 4);
  });

  it('labels by method, operation and tool, and adds error_type only to errors', () => {
    const { samples } = parseExposition(toPrometheus(buildRegistry()));
    const counts = samples.filter((sample) => sample.name.endsWith('_count'));
    expect(counts.map((sample) => [sample.name, sample.labels, sample.value])).toEqual([
      [
        'mcp_server_operation_duration_seconds_count',
        { mcp_method_name: 'tools/call', pml_operation: 'mcp.tools.call', gen_ai_tool_name: 'fixture__echo' },
        8,
      ],
      [
        'mcp_server_operation_duration_seconds_count',
        {
          mcp_method_name: 'tools/call',
          pml_operation: 'mcp.tools.call',
          gen_ai_tool_name: 'fixture__fail',
          error_type: 'tool_error',
        },
        1,
      ],
      [
        'mcp_server_operation_duration_seconds_count',
        { mcp_method_name: 'tools/list', pml_operation: 'mcp.tools.list' },
        1,
      ],
      [
        'mcp_client_operation_duration_seconds_count',
        { mcp_server_id: 'fixture', mcp_method_name: 'tools/call' },
        1,
      ],
      [
        'mcp_client_operation_duration_seconds_count',
        { mcp_server_id: 'fixture', mcp_method_name: 'tools/call', error_type: 'timeout' },
        1,
      ],
    ]);
  });

  it('escapes backslashes, quotes and newlines in label values', () => {
    expect(toEscapedLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    const registry = createMetricsRegistry();
    const tool = 'odd\\"name\nwith breaks';
    registry.recordOperation('mcp.tools.call', 'tools/call', tool, 1, undefined);
    const { samples } = parseExposition(toPrometheus(registry));
    expect(samples[0]!.labels.gen_ai_tool_name).toBe(tool);
  });

  it('writes only the HELP and TYPE lines when nothing was recorded', () => {
    const text = toPrometheus(createMetricsRegistry());
    expect(parseExposition(text).samples).toEqual([]);
    expect(text.split('\n').filter(Boolean)).toHaveLength(4);
  });
});
