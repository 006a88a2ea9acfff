// The registry with a real HdrHistogram: percentiles, error rates, throughput and label caps.
import { describe, expect, it } from 'vitest';
import { createMetricsRegistry } from './registry.js';

function createFakeClock(startMs = Date.parse('2025-01-01T00:00:00Z')) {
  let nowMs = startMs;
  return { now: () => nowMs, advance: (ms: number) => (nowMs += ms) };
}

/** Within HdrHistogram's resolution: 3 significant digits. */
function expectNear(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(expected * 0.001);
}

describe('createMetricsRegistry', () => {
  it('reads percentiles, mean and max from known durations', () => {
    const registry = createMetricsRegistry();
    for (let ms = 1; ms <= 100; ms++)
      registry.recordOperation('mcp.tools.list', 'tools/list', undefined, ms, undefined);
    const [stats] = registry.toSnapshot().operations;
    expect(stats).toMatchObject({ operation: 'mcp.tools.list', method: 'tools/list', count: 100, errors: 0 });
    expectNear(stats!.p50Ms, 50);
    expectNear(stats!.p95Ms, 95);
    expectNear(stats!.p99Ms, 99);
    expect(stats!.meanMs).toBe(50.5);
    expect(stats!.maxMs).toBe(100);
  });

  it('keeps sub-millisecond durations to the microsecond', () => {
    const registry = createMetricsRegistry();
    registry.recordDownstream('fixture', 'tools/call', 0.25, undefined);
    expect(registry.toSnapshot().downstreamRequests[0]).toMatchObject({ p50Ms: 0.25, maxMs: 0.25 });
  });

  it('counts errors by type and computes the error rate over every outcome', () => {
    const registry = createMetricsRegistry();
    for (let i = 0; i < 7; i++)
      registry.recordOperation('mcp.tools.call', 'tools/call', 'a__echo', 1, undefined);
    registry.recordOperation('mcp.tools.call', 'tools/call', 'a__fail', 1, 'tool_error');
    registry.recordOperation('mcp.tools.call', 'tools/call', 'a__fail', 1, 'tool_error');
    registry.recordOperation('mcp.tools.call', 'tools/call', 'nope', 1, '-32602');
    const snapshot = registry.toSnapshot();
    expect(snapshot.operations[0]).toMatchObject({
      count: 10,
      errors: 3,
      errorRate: 0.3,
      errorTypes: { tool_error: 2, '-32602': 1 },
    });
    expect(snapshot.tools.map((tool) => [tool.tool, tool.count, tool.errors])).toEqual([
      ['a__echo', 7, 0],
      ['a__fail', 2, 2],
      ['nope', 1, 1],
    ]);
    expect(snapshot.tools[0]).not.toHaveProperty('errorTypes');
  });

  it('computes throughput over the time since the registry started', () => {
    const clock = createFakeClock();
    const registry = createMetricsRegistry({ clock });
    for (let i = 0; i < 50; i++) registry.recordDownstream('fixture', 'tools/call', 2, undefined);
    clock.advance(10_000);
    const snapshot = registry.toSnapshot();
    expect(snapshot.downstreamServers[0]).toMatchObject({
      serverId: 'fixture',
      count: 50,
      throughputPerSec: 5,
    });
    expect(snapshot.startedAt).toBe('2025-01-01T00:00:00.000Z');
    expect(snapshot.updatedAt).toBe('2025-01-01T00:00:10.000Z');
  });

  it('aggregates a downstream server over its methods and keeps each method apart', () => {
    const registry = createMetricsRegistry();
    registry.recordDownstream('fs', 'tools/call', 4, undefined);
    registry.recordDownstream('fs', 'resources/read', 2, 'timeout');
    const snapshot = registry.toSnapshot();
    expect(snapshot.downstreamServers).toEqual([
      expect.objectContaining({ serverId: 'fs', count: 2, errors: 1, errorTypes: { timeout: 1 }, maxMs: 4 }),
    ]);
    expect(snapshot.downstreamRequests.map((request) => [request.method, request.count])).toEqual([
      ['resources/read', 1],
      ['tools/call', 1],
    ]);
  });

  it('caps distinct tool labels and folds the rest into _OTHER', () => {
    const registry = createMetricsRegistry({ maxToolLabels: 2 });
    for (const tool of ['a', 'b', 'c', 'd', 'a'])
      registry.recordOperation('mcp.tools.call', 'tools/call', tool, 1, undefined);
    expect(registry.toSnapshot().tools.map((tool) => [tool.tool, tool.count])).toEqual([
      ['_OTHER', 2],
      ['a', 2],
      ['b', 1],
    ]);
  });

  it('clamps durations past ten minutes in the histogram but keeps the exact maximum', () => {
    const registry = createMetricsRegistry();
    registry.recordOperation('mcp.prompts.get', 'prompts/get', undefined, 20 * 60_000, undefined);
    const [stats] = registry.toSnapshot().operations;
    expectNear(stats!.p99Ms, 10 * 60_000);
    expect(stats!.maxMs).toBe(20 * 60_000);
  });

  it('never throws on a nonsensical duration', () => {
    const registry = createMetricsRegistry();
    expect(() => registry.recordDownstream('x', 'tools/call', Number.NaN, undefined)).not.toThrow();
    expect(() => registry.recordDownstream('x', 'tools/call', -5, undefined)).not.toThrow();
    expect(registry.toSnapshot().downstreamServers[0]).toMatchObject({ count: 2, maxMs: 0 });
  });
});
