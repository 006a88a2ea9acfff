// Local metrics end to end, with telemetry off: gateway_status, `pml stats` from another process
// while the gateway runs and after it stopped, and GET /metrics in the Prometheus format.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fixtureServer,
  startHttpGatewayProcess,
  startStdioGateway,
  waitFor,
  type HttpGatewayProcess,
  type StdioGateway,
} from '../helpers/gateway.js';
import { CLI, NODE } from '../helpers/paths.js';

const run = promisify(execFile);
const TOKEN = 'metrics-token-456';

interface Stats {
  status: 'live' | 'stopped';
  pid: number;
  stoppedAt?: string;
  operations: { operation: string; count: number; errors: number }[];
  tools: { tool: string; count: number; errors: number; errorRate: number; p50Ms: number; p99Ms: number }[];
  downstreamServers: { serverId: string; count: number; errors: number }[];
}

/** `pml stats` as a separate process reading the same data dir as the gateway. */
async function runStats(dataDir: string, args: string[]): Promise<string> {
  const { stdout } = await run(NODE, [CLI, 'stats', ...args], {
    cwd: dataDir,
    env: { PATH: process.env.PATH ?? '', HOME: dataDir, PML_DATA_DIR: dataDir },
  });
  return stdout;
}

function findTool(stats: Stats | undefined, name: string) {
  return stats?.tools.find((tool) => tool.tool === name);
}

describe('local metrics over stdio, and pml stats', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pml-metrics-'));
  let gateway: StdioGateway;
  let stopped = false;

  beforeAll(async () => {
    gateway = await startStdioGateway(
      { mcpServers: { fixture: fixtureServer() } },
      // A periodic write far away: what `pml stats` shows must come from the write that follows a change.
      { env: { PML_DATA_DIR: dataDir, PML_STATS_INTERVAL_MS: '600000' } },
    );
    const { client } = gateway;
    for (let i = 0; i < 5; i++)
      await client.callTool({ name: 'fixture__echo', arguments: { text: `n${i}` } });
    for (let i = 0; i < 2; i++)
      await client.callTool({ name: 'fixture__fail', arguments: { message: 'no' } });
    await client.callTool({ name: 'fixture__slow', arguments: { ms: 120 } });
    await expect(client.callTool({ name: 'fixture__missing', arguments: {} })).rejects.toThrow(
      /Unknown tool/,
    );
  });
  afterAll(async () => {
    if (!stopped) await gateway?.close();
  });

  it('shows counts, errors and percentiles in gateway_status', async () => {
    const status = await gateway.client.callTool({ name: 'gateway_status', arguments: {} });
    const metrics = (status.structuredContent as { metrics: Omit<Stats, 'status' | 'pid'> }).metrics;
    expect(metrics.operations).toContainEqual(
      expect.objectContaining({ operation: 'mcp.tools.call', count: 9, errors: 3 }),
    );
    expect(metrics.tools).toContainEqual(
      expect.objectContaining({ tool: 'fixture__echo', count: 5, errors: 0, errorRate: 0 }),
    );
    expect(metrics.tools).toContainEqual(
      expect.objectContaining({ tool: 'fixture__fail', count: 2, errors: 2, errorTypes: { tool_error: 2 } }),
    );
    expect(metrics.tools).toContainEqual(
      expect.objectContaining({ tool: 'fixture__missing', count: 1, errors: 1, errorTypes: { '-32602': 1 } }),
    );
    const slow = metrics.tools.find((tool) => tool.tool === 'fixture__slow')!;
    expect(slow.p50Ms).toBeGreaterThanOrEqual(120);
    expect(slow.p99Ms).toBeGreaterThanOrEqual(slow.p50Ms);
    expect(findTool(metrics as Stats, 'fixture__echo')!.p99Ms).toBeGreaterThan(0);
    // The unknown tool never reached the server; isError results are answers, not failed requests.
    expect(metrics.downstreamServers).toEqual([
      expect.objectContaining({ serverId: 'fixture', count: 8, errors: 0 }),
    ]);
  });

  it('shows the calls in pml stats, run as another process while the gateway runs', async () => {
    const stats = await waitFor(async () => {
      const parsed = JSON.parse(await runStats(dataDir, ['--json'])) as Stats | null;
      return findTool(parsed ?? undefined, 'fixture__echo')?.count === 5 ? parsed! : undefined;
    });
    expect(stats).toMatchObject({ status: 'live', pid: gateway.pid });
    expect(stats.stoppedAt).toBeUndefined();
    expect(findTool(stats, 'fixture__fail')).toMatchObject({ count: 2, errors: 2, errorRate: 1 });

    const table = await runStats(dataDir, []);
    expect(table).toMatch(new RegExp(`^pml gateway pid ${gateway.pid} \\(live, stdio\\)`));
    expect(table).toMatch(/^ {2}fixture__echo\s+5\s+0\s+0\.0%/m);
    expect(table).toMatch(/^fixture\s+8\s+0\s+0\.0%/m);
  });

  it('still shows them after the gateway stopped, marked stopped', async () => {
    await gateway.close();
    stopped = true;
    const stats = await waitFor(async () => {
      const parsed = JSON.parse(await runStats(dataDir, ['--json', '--all'])) as Stats[];
      const mine = parsed.find((entry) => entry.pid === gateway.pid);
      return mine?.status === 'stopped' ? mine : undefined;
    });
    expect(findTool(stats, 'fixture__echo')).toMatchObject({ count: 5 });
    expect(stats.operations).toContainEqual(
      expect.objectContaining({ operation: 'mcp.gateway_status', count: 1, errors: 0 }),
    );
    expect(await runStats(dataDir, [])).toMatch(
      new RegExp(`^pml gateway pid ${gateway.pid} \\(stopped, stdio\\)`),
    );
  });

  it('says to run pml serve first when there are no stats', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'pml-metrics-empty-'));
    expect(await runStats(empty, [])).toMatch(/No stats yet in .*: run `pml serve` first/);
    expect(await runStats(empty, ['--json'])).toBe('null\n');
  });
});

describe('GET /metrics in HTTP mode', () => {
  let gateway: HttpGatewayProcess;
  let metricsUrl: string;
  beforeAll(async () => {
    gateway = await startHttpGatewayProcess({ mcpServers: { fixture: fixtureServer() } }, ['--token', TOKEN]);
    metricsUrl = gateway.url.replace(/\/mcp$/, '/metrics');
    const client = await gateway.connect({ token: TOKEN });
    for (let i = 0; i < 3; i++) await client.callTool({ name: 'fixture__echo', arguments: { text: 'x' } });
    await client.callTool({ name: 'fixture__fail', arguments: {} });
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  it('serves Prometheus text whose counts match the calls made', async () => {
    const response = await fetch(metricsUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    for (const line of text.trimEnd().split('\n'))
      expect(line).toMatch(
        /^(# (HELP|TYPE) \w+ .+|\w+\{(\w+="(?:[^"\\]|\\.)*",?)+\} [\d.e+-]+|\w+\{.*\} \+Inf)$/,
      );
    const value = (pattern: RegExp) => {
      const match = text.split('\n').find((line) => pattern.test(line));
      return match === undefined ? undefined : Number(match.slice(match.lastIndexOf(' ') + 1));
    };
    expect(text).toContain('# TYPE mcp_server_operation_duration_seconds histogram');
    expect(
      value(/^mcp_server_operation_duration_seconds_bucket\{.*gen_ai_tool_name="fixture__echo",le="\+Inf"\}/),
    ).toBe(3);
    expect(value(/^mcp_server_operation_duration_seconds_count\{.*gen_ai_tool_name="fixture__echo"\}/)).toBe(
      3,
    );
    expect(
      value(
        /^mcp_server_operation_duration_seconds_count\{.*gen_ai_tool_name="fixture__fail",error_type="tool_error"\}/,
      ),
    ).toBe(1);
    expect(
      value(
        /^mcp_client_operation_duration_seconds_count\{mcp_server_id="fixture",mcp_method_name="tools\/call"\}/,
      ),
    ).toBe(4);
  });

  it('refuses /metrics without the bearer token', async () => {
    const response = await fetch(metricsUrl);
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain('mcp_server_operation_duration');
  });
});
