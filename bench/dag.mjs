// Workflows: execute_workflow over pml (stdio) on our fixture's sleep-like `slow` tool, in shapes
// (wide, deep, diamond, 50 tasks), each compared side by side in one run with its critical path
// (the sum of measured task durations along the longest chain: the floor with unlimited
// parallelism) and with the same calls made one by one through pml; then a 10-task workflow over
// the real memory server. A report against targets: exits 0 unless something crashes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client } from '@modelcontextprotocol/client';
import * as lib from './lib.mjs';

const RUNS = Math.max(3, Number(process.env.BENCH_DAG_RUNS) || 15);
const REAL_RUNS = Math.max(5, Number(process.env.BENCH_DAG_REAL_RUNS) || 40);
const FIXTURE = join(lib.ROOT, 'test/fixtures/fixture-server.mjs');
const require = createRequire(import.meta.url);
const MEMORY = join(
  dirname(require.resolve('@modelcontextprotocol/server-memory/package.json')),
  'dist/index.js',
);

const tmp = lib.makeTempRoot();
mkdirSync(join(tmp.path, 'data'));
const configPath = join(tmp.path, 'config.json');
writeFileSync(
  configPath,
  JSON.stringify({
    mcpServers: {
      fixture: { command: process.execPath, args: [FIXTURE] },
      memory: {
        command: process.execPath,
        args: [MEMORY],
        env: { MEMORY_FILE_PATH: join(tmp.path, 'memory.jsonl') },
      },
    },
  }),
);

const slow = (id, ms, dependsOn = []) => ({
  id,
  tool: 'fixture__slow',
  arguments: { ms },
  depends_on: dependsOn,
});
const SHAPES = {
  'wide (20 x 50 ms, 1 layer)': Array.from({ length: 20 }, (_, i) => slow(`w${i}`, 50)),
  'deep (chain of 10 x 10 ms)': Array.from({ length: 10 }, (_, i) =>
    slow(`d${i}`, 10, i > 0 ? [`d${i - 1}`] : []),
  ),
  'diamond (1 -> 8 -> 1, 20 ms)': [
    slow('top', 20),
    ...Array.from({ length: 8 }, (_, i) => slow(`mid${i}`, 20, ['top'])),
    slow(
      'bottom',
      20,
      Array.from({ length: 8 }, (_, i) => `mid${i}`),
    ),
  ],
  '50 tasks (5 layers x 10, 10 ms)': Array.from({ length: 50 }, (_, i) =>
    slow(`t${i}`, 10, i >= 10 ? [`t${i - 10}`, `t${((i - 10 + 1) % 10) + Math.floor(i / 10 - 1) * 10}`] : []),
  ),
};

const entity = (name) => ({ name, entityType: 'city', observations: [`${name} has a river`] });
const realWorkflow = (round) => [
  { id: 'a', tool: 'memory__create_entities', arguments: { entities: [entity(`A${round}`)] } },
  { id: 'b', tool: 'memory__create_entities', arguments: { entities: [entity(`B${round}`)] } },
  { id: 'c', tool: 'memory__create_entities', arguments: { entities: [entity(`C${round}`)] } },
  { id: 'e', tool: 'fixture__echo', arguments: { text: 'start' } },
  { id: 'graph', tool: 'memory__read_graph', depends_on: ['a', 'b', 'c'] },
  { id: 'open', tool: 'memory__open_nodes', arguments: { names: ['$OUTPUT[graph].entities[0].name'] } },
  { id: 'find', tool: 'memory__search_nodes', arguments: { query: 'river' }, depends_on: ['graph'] },
  { id: 'say', tool: 'fixture__echo', arguments: { text: 'first: $OUTPUT[open].entities[0].name' } },
  {
    id: 'rel',
    tool: 'memory__create_relations',
    arguments: { relations: [{ from: `A${round}`, to: `B${round}`, relationType: 'near' }] },
    depends_on: ['graph'],
  },
  { id: 'end', tool: 'fixture__echo', arguments: { text: '$OUTPUT[e]' }, depends_on: ['say', 'find', 'rel'] },
];

const transport = new StdioClientTransport({
  command: process.execPath,
  args: [lib.PML_CLI, 'serve', '--config', configPath],
  env: { PATH: process.env.PATH ?? '', PML_DATA_DIR: join(tmp.path, 'data'), PML_LOG_LEVEL: 'warn' },
  stderr: 'pipe',
});
const client = new Client({ name: 'bench-dag', version: '1.0.0' });

async function runWorkflow(tasks) {
  const start = performance.now();
  const answer = await client.callTool(
    { name: 'execute_workflow', arguments: { tasks } },
    {
      timeout: 60_000,
    },
  );
  const clientMs = performance.now() - start;
  const result = answer.structuredContent;
  if (answer.isError || result?.status !== 'ok')
    throw new Error(`workflow failed: ${JSON.stringify(answer.content).slice(0, 500)}`);
  return { clientMs, result };
}

async function oneByOne(tasks) {
  const start = performance.now();
  for (const task of tasks) await client.callTool({ name: task.tool, arguments: task.arguments });
  return performance.now() - start;
}

const median = (values) => lib.percentile(Float64Array.from(values).sort(), 50);

try {
  console.log(`machine: ${lib.machineInfo()}`);
  console.log(`runs per shape: ${RUNS} (median shown); real-server workflow runs: ${REAL_RUNS}`);
  await client.connect(transport);
  await client.listTools();
  for (let i = 0; i < 3; i++) await runWorkflow(SHAPES['diamond (1 -> 8 -> 1, 20 ms)']); // warm-up

  const rows = [];
  const verdicts = [];
  for (const [name, tasks] of Object.entries(SHAPES)) {
    const samples = [];
    for (let run = 0; run < RUNS; run++) {
      const { clientMs, result } = await runWorkflow(tasks);
      const sequentialMs = await oneByOne(tasks);
      samples.push({
        clientMs,
        wallMs: result.duration_ms,
        criticalMs: result.critical_path_ms,
        layers: result.layers.length,
        sequentialMs,
      });
    }
    const layers = samples[0].layers;
    const wall = median(samples.map((s) => s.wallMs));
    const clientWall = median(samples.map((s) => s.clientMs));
    const critical = median(samples.map((s) => s.criticalMs));
    const sequential = median(samples.map((s) => s.sequentialMs));
    const overheadPerLayer = median(samples.map((s) => (s.wallMs - s.criticalMs) / s.layers));
    const speedup = sequential / clientWall;
    const ideal = sequential / critical; // what unlimited parallelism with zero overhead would give
    rows.push([
      name,
      layers,
      lib.ms(critical),
      lib.ms(wall),
      lib.ms(clientWall),
      lib.ms(overheadPerLayer),
      lib.ms(sequential),
      `${speedup.toFixed(2)}x`,
      `${(speedup / ideal).toFixed(2)}`,
    ]);
    verdicts.push([
      `${name}: wall <= critical path + 2 ms/layer`,
      `${lib.ms(overheadPerLayer)} ms/layer`,
      lib.verdict(overheadPerLayer <= 2),
    ]);
    if (name.startsWith('wide'))
      verdicts.push([
        `${name}: speed-up >= 0.9 x ideal`,
        `${(speedup / ideal).toFixed(2)} x ideal`,
        lib.verdict(speedup / ideal >= 0.9),
      ]);
  }
  lib.printTable(
    'Workflow shapes (ms; wall = the run inside pml, client = round trip of the execute_workflow request)',
    [
      'shape',
      'layers',
      'critical path',
      'wall',
      'client',
      'overhead/layer',
      'one by one',
      'speed-up',
      'x ideal',
    ],
    rows,
  );

  const real = [];
  for (let round = 0; round < REAL_RUNS; round++)
    real.push((await runWorkflow(realWorkflow(round))).clientMs);
  const realStats = lib.summarize(real);
  lib.printTable(
    '10-task workflow over the memory server and the fixture (client round trip, ms)',
    ['n', 'p50', 'p95', 'p99'],
    [[realStats.n, lib.ms(realStats.p50), lib.ms(realStats.p95), lib.ms(realStats.p99)]],
  );
  verdicts.push([
    '10-task workflow over real servers: p95 < 2000 ms',
    `${lib.ms(realStats.p95)} ms`,
    lib.verdict(realStats.p95 < 2000),
  ]);
  lib.printTable('Targets', ['target', 'measured', 'verdict'], verdicts);
} finally {
  await client.close().catch(() => {});
  tmp.remove();
}
