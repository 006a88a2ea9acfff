// The code sandbox, measured side by side in one run: a trivial run on the Deno runner cold (a
// process per run) and warm (from the pool); execute_code through pml making 10 tool calls vs the
// same 10 calls made directly by the client through pml; and the size in tokens (o200k) of
// tools/list in `all` and `code` mode for the embedded default servers plus server-everything.
// A report against targets: exits 0 unless something crashes.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client } from '@modelcontextprotocol/client';
import { Tiktoken } from 'js-tiktoken/lite';
import o200k from 'js-tiktoken/ranks/o200k_base';
import { createDenoCodeRunner } from '../dist/sandbox/index.js';
import * as lib from './lib.mjs';

const RUNS = Math.max(5, Number(process.env.BENCH_SANDBOX_RUNS) || 30);
const require = createRequire(import.meta.url);
const bin = (name) => join(dirname(require.resolve(`${name}/package.json`)), 'dist/index.js');
const tmp = lib.makeTempRoot();
const servers = {
  filesystem: { command: process.execPath, args: [bin('@modelcontextprotocol/server-filesystem'), tmp.path] },
  memory: {
    command: process.execPath,
    args: [bin('@modelcontextprotocol/server-memory')],
    env: { MEMORY_FILE_PATH: join(tmp.path, 'memory.jsonl') },
  },
  everything: { command: process.execPath, args: [lib.EVERYTHING] },
};
const tokenizer = new Tiktoken(o200k);
const tokens = (value) => tokenizer.encode(JSON.stringify(value)).length;
const stats = (values) => lib.summarize(values);

async function startPml(name, toolsMode) {
  const configPath = join(tmp.path, `${name}.json`);
  writeFileSync(
    configPath,
    JSON.stringify({
      mcpServers: servers,
      gateway: { toolsMode },
      sandbox: { approval: 'never' },
      storage: { enabled: false },
      search: { embedder: 'none' },
    }),
  );
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [lib.PML_CLI, 'serve', '--config', configPath],
    env: {
      PATH: process.env.PATH ?? '',
      PML_DATA_DIR: join(tmp.path, `data-${name}`),
      PML_LOG_LEVEL: 'warn',
    },
    stderr: 'pipe',
  });
  const client = new Client({ name: `bench-sandbox-${name}`, version: '1.0.0' });
  await client.connect(transport);
  return client;
}

async function timeRun(runner, code, before) {
  if (before) await before();
  const start = performance.now();
  await runner.run({ code, timeoutMs: 10_000, callTool: async (request) => request.args });
  return performance.now() - start;
}

const clients = [];
try {
  console.log(`machine: ${lib.machineInfo()}`);
  console.log(`runs per measurement: ${RUNS}`);

  // 1. The runner alone: a process started per run vs one taken from the warm pool.
  const cold = createDenoCodeRunner({ poolSize: 0 });
  const coldTimes = [];
  for (let i = 0; i < RUNS; i++) coldTimes.push(await timeRun(cold, '1 + 1'));
  await cold.close();
  const warm = createDenoCodeRunner({ poolSize: 2 });
  const warmTimes = [];
  for (let i = 0; i < RUNS; i++) warmTimes.push(await timeRun(warm, '1 + 1', () => warm.start()));
  await warm.close();
  const coldStats = stats(coldTimes);
  const warmStats = stats(warmTimes);

  // 2. Through pml: execute_code with 10 tool calls vs the same 10 calls by the client.
  const all = await startPml('all', 'all');
  clients.push(all);
  const { tools: allTools } = await all.listTools();
  const ten = `const out = []; for (let i = 0; i < 10; i++) out.push(await tools.everything.echo({ message: 'm' + i })); return out.length`;
  const none = `return 0`;
  const call = (args) => all.callTool({ name: 'execute_code', arguments: args });
  for (let i = 0; i < 3; i++) await call({ code: ten }); // warm-up: pool, servers
  const codeTen = [],
    codeNone = [],
    directTen = [];
  for (let round = 0; round < RUNS; round++) {
    let start = performance.now();
    await call({ code: ten.replace('return', `/* ${round} */ return`) }); // distinct code: no cache hit
    codeTen.push(performance.now() - start);
    start = performance.now();
    await call({ code: `/* ${round} */ ${none}` });
    codeNone.push(performance.now() - start);
    start = performance.now();
    for (let i = 0; i < 10; i++)
      await all.callTool({ name: 'everything__echo', arguments: { message: `m${i}` } });
    directTen.push(performance.now() - start);
  }
  const ct = stats(codeTen),
    cn = stats(codeNone),
    dt = stats(directTen);
  const perCallFromCode = (ct.p50 - cn.p50) / 10;
  const perCallDirect = dt.p50 / 10;

  // 3. Tokens of tools/list in each mode.
  const code = await startPml('code', 'code');
  clients.push(code);
  const { tools: codeTools } = await code.listTools();

  lib.printTable(
    'Trivial run on the Deno runner (ms)',
    ['variant', 'n', 'p50', 'p95'],
    [
      ['cold (a process per run)', coldStats.n, lib.ms(coldStats.p50), lib.ms(coldStats.p95)],
      ['warm (from the pool)', warmStats.n, lib.ms(warmStats.p50), lib.ms(warmStats.p95)],
    ],
  );
  lib.printTable(
    'Through pml over stdio (client round trip, ms)',
    ['variant', 'n', 'p50', 'p95'],
    [
      ['execute_code, no tool call', cn.n, lib.ms(cn.p50), lib.ms(cn.p95)],
      ['execute_code, 10 tool calls', ct.n, lib.ms(ct.p50), lib.ms(ct.p95)],
      ['10 direct tools/call', dt.n, lib.ms(dt.p50), lib.ms(dt.p95)],
    ],
  );
  lib.printTable(
    'tools/list size (o200k tokens)',
    ['mode', 'tools', 'tokens'],
    [
      ['all', allTools.length, tokens({ tools: allTools })],
      ['code', codeTools.length, tokens({ tools: codeTools })],
    ],
  );
  const ratio = tokens({ tools: codeTools }) / tokens({ tools: allTools });
  lib.printTable(
    'Targets',
    ['target', 'measured', 'verdict'],
    [
      [
        'warm trivial run p50 <= 30 ms',
        `${lib.ms(warmStats.p50)} ms (cold ${lib.ms(coldStats.p50)})`,
        lib.verdict(warmStats.p50 <= 30),
      ],
      [
        'each tool call from code <= 2 ms over a direct call',
        `${lib.ms(perCallFromCode)} vs ${lib.ms(perCallDirect)} ms direct (${perCallFromCode >= perCallDirect ? '+' : ''}${lib.ms(perCallFromCode - perCallDirect)})`,
        lib.verdict(perCallFromCode - perCallDirect <= 2),
      ],
      ['code mode tools/list vs all mode', `${(ratio * 100).toFixed(1)}% of the tokens`, 'report'],
    ],
  );
} finally {
  await Promise.all(clients.map((client) => client.close().catch(() => {})));
  tmp.remove();
}
