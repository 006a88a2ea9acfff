// Proxy overhead: server-everything's echo called directly vs through pml (stdio and Streamable HTTP),
// plus pml's initialize time after spawn. A report against targets: exits 0 unless something crashes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import * as lib from './lib.mjs';

const CALLS = Math.max(1, Number(process.env.BENCH_CALLS) || 2000);
const WARMUP = 200;
const CONCURRENCY = 10;
const ROUNDS = 5; // every measurement is split into rounds that alternate the variants
const INIT_SPAWNS = 5;
const CALL_TIMEOUT_MS = 10_000;
const CALLS_PER_CALLER = Math.max(1, Math.round(CALLS / CONCURRENCY));

const tmp = lib.makeTempRoot();
const MARKER = tmp.path; // appears in the command line or environment of every process this run starts
const configPath = join(tmp.path, 'config.json');
const everything = { command: process.execPath, args: [lib.EVERYTHING], env: { PML_BENCH_RUN: MARKER } };
writeFileSync(configPath, JSON.stringify({ mcpServers: { everything } }, null, 2));
const gatewayEnv = { PML_DATA_DIR: join(tmp.path, 'data'), PML_LOG_LEVEL: 'warn', PML_BENCH_RUN: MARKER };

// The SDK hands one session-wide AbortSignal to every fetch and undici only drops its listener on GC,
// so thousands of calls flood this process with MaxListenersExceededWarning. Calls never need aborting.
const fetchWithoutSharedSignal = (url, init) =>
  fetch(url, init?.method === 'POST' ? { ...init, signal: undefined } : init);

/** Splits `total` into `parts` near-equal whole numbers. */
const split = (total, parts) =>
  Array.from(
    { length: parts },
    (_, i) => Math.floor((total * (i + 1)) / parts) - Math.floor((total * i) / parts),
  );

async function connect(name, transport, toolName, stderr = []) {
  const client = new Client({ name: `bench-${name}`, version: '1.0.0' });
  if (transport.stderr) lib.collectLines(transport.stderr, stderr);
  await client.connect(transport);
  const { tools } = await client.listTools(); // also waits for pml's downstream servers to be ready
  const echo = tools.find((tool) => tool.name === toolName);
  if (!echo?.inputSchema.properties?.message)
    throw new Error(`${name}: no tool ${toolName} with a "message" argument`);
  const call = async () => {
    const result = await client.callTool({ name: toolName, arguments: { message: 'hello' } }, undefined, {
      timeout: CALL_TIMEOUT_MS,
    });
    if (result.isError) throw new Error(`${name}: ${toolName} failed: ${JSON.stringify(result.content)}`);
  };
  return { name, client, transport, call, stderr, samples: [], concurrentCalls: 0, concurrentMs: 0 };
}

async function sequential(variant, count) {
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await variant.call();
    variant.samples.push(performance.now() - start);
  }
}

async function concurrent(variant, callsPerLoop) {
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = 0; i < callsPerLoop; i++) await variant.call();
    }),
  );
  variant.concurrentMs += performance.now() - start;
  variant.concurrentCalls += CONCURRENCY * callsPerLoop;
}

/** Runs `step` for every variant in each round, rotating who goes first so noise hits all alike. */
async function interleaved(variants, sizes, step) {
  for (const [round, size] of sizes.entries()) {
    for (let i = 0; i < variants.length; i++) await step(variants[(round + i) % variants.length], size);
  }
}

const initStderr = [];

async function initializeTimes() {
  const times = [];
  for (let i = 0; i < INIT_SPAWNS; i++) {
    const dir = join(tmp.path, `init-${i}`);
    mkdirSync(dir);
    const env = { ...gatewayEnv, PML_DATA_DIR: join(dir, 'data') };
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [lib.PML_CLI, 'serve'],
      cwd: dir,
      env,
      stderr: 'pipe',
    });
    lib.collectLines(transport.stderr, initStderr);
    const client = new Client({ name: 'bench-init', version: '1.0.0' });
    const start = performance.now(); // connect() spawns the process, then sends initialize
    await client.connect(transport);
    times.push(performance.now() - start);
    await client.close();
  }
  return times.sort((a, b) => a - b);
}

async function main() {
  console.log('pml proxy overhead: echo of server-everything, direct vs through the gateway');
  console.log(`machine: ${lib.machineInfo()}`);
  console.log(
    `per variant: ${WARMUP} warm-up, ${CALLS} sequential calls, ${CONCURRENCY} concurrent callers x ${CALLS_PER_CALLER} calls; ${ROUNDS} alternating rounds`,
  );

  const http = lib.spawnHttpGateway({ args: ['--config', configPath], env: gatewayEnv, cwd: tmp.path });
  const variants = [];
  try {
    const stdio = (args) =>
      new StdioClientTransport({
        command: process.execPath,
        args,
        env: gatewayEnv,
        cwd: tmp.path,
        stderr: 'pipe',
      });
    variants.push(
      await connect(
        'direct',
        new StdioClientTransport({ ...everything, cwd: tmp.path, stderr: 'pipe' }),
        'echo',
      ),
    );
    variants.push(
      await connect('pml stdio', stdio([lib.PML_CLI, 'serve', '--config', configPath]), 'everything__echo'),
    );
    variants.push(
      await connect(
        'pml http',
        new StreamableHTTPClientTransport(new URL(await http.url), { fetch: fetchWithoutSharedSignal }),
        'everything__echo',
        http.stderr,
      ),
    );

    await interleaved(variants, [WARMUP], sequential);
    for (const variant of variants) variant.samples.length = 0; // warm-up is not measured
    await interleaved(variants, split(CALLS, ROUNDS).filter(Boolean), sequential);
    await interleaved(variants, split(CALLS_PER_CALLER, ROUNDS).filter(Boolean), concurrent);
  } finally {
    for (const { transport } of variants) await transport.terminateSession?.().catch(() => {});
    for (const { client } of variants) await client.close().catch(() => {});
    await http.stop();
  }
  const initMs = await initializeTimes();

  const [direct, ...gateways] = variants;
  const stats = new Map(variants.map((v) => [v, lib.summarize(v.samples)]));
  const throughput = (v) => v.concurrentCalls / (v.concurrentMs / 1000);

  lib.printTable(
    'Sequential echo latency (ms)',
    ['variant', 'calls', 'p50', 'p95', 'p99'],
    variants.map((v) => {
      const s = stats.get(v);
      return [v.name, s.n, lib.ms(s.p50), lib.ms(s.p95), lib.ms(s.p99)];
    }),
  );
  lib.printTable(
    `${CONCURRENCY} concurrent callers sharing one client/session`,
    ['variant', 'calls', 'seconds', 'calls/s'],
    variants.map((v) => [
      v.name,
      v.concurrentCalls,
      (v.concurrentMs / 1000).toFixed(3),
      throughput(v).toFixed(0),
    ]),
  );
  lib.printTable(
    'Gateway vs direct',
    ['variant', 'added p50 ms', 'added p95 ms', 'throughput vs direct'],
    gateways.map((v) => [
      v.name,
      lib.ms(stats.get(v).p50 - stats.get(direct).p50),
      lib.ms(stats.get(v).p95 - stats.get(direct).p95),
      `${((100 * throughput(v)) / throughput(direct)).toFixed(1)}%`,
    ]),
  );
  console.log(
    `\ninitialize after spawn (pml serve, embedded default, stdio), ${INIT_SPAWNS} spawns ms: ${initMs.map(lib.ms).join(' ')}`,
  );

  const [gwStdio, gwHttp] = gateways;
  const addedP50 = stats.get(gwStdio).p50 - stats.get(direct).p50;
  const addedP95 = stats.get(gwStdio).p95 - stats.get(direct).p95;
  const ratio = (100 * throughput(gwStdio)) / throughput(direct);
  const httpP50 = stats.get(gwHttp).p50;
  const initMedian = initMs[Math.floor(initMs.length / 2)];
  const check = (name, target, result, ok) => [name, target, result, lib.verdict(ok)];
  lib.printTable(
    'Targets',
    ['check', 'target', 'result', 'verdict'],
    [
      check('stdio gateway added latency p50', '<= 0.300 ms', `${lib.ms(addedP50)} ms`, addedP50 <= 0.3),
      check('stdio gateway added latency p95', '<= 1.000 ms', `${lib.ms(addedP95)} ms`, addedP95 <= 1),
      check(
        'stdio gateway throughput, 10 concurrent',
        '>= 80% of direct',
        `${ratio.toFixed(1)}%`,
        ratio >= 80,
      ),
      check('http gateway latency p50, end to end', '<= 1.500 ms', `${lib.ms(httpP50)} ms`, httpP50 <= 1.5),
      check(
        'initialize after spawn, median',
        '<= 1000 ms',
        `${initMedian.toFixed(1)} ms`,
        initMedian <= 1000,
      ),
    ],
  );

  const problems = [...gateways, { name: 'pml init', stderr: initStderr }].flatMap((v) =>
    v.stderr.filter((line) => !line.startsWith('[pml] info ')).map((line) => `${v.name}: ${line}`),
  );
  console.log(
    `\ngateway stderr at warn or above: ${problems.length === 0 ? 'none' : `\n  ${problems.join('\n  ')}`}`,
  );
}

async function reportLeftovers() {
  let pids = lib.findProcessesMentioning(MARKER);
  for (let waited = 0; pids.length > 0 && waited < 3000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    pids = lib.findProcessesMentioning(MARKER);
  }
  console.log(`load avg at end: ${lib.machineInfo().split('load avg ')[1]}`);
  if (pids.length === 0) return console.log('leftover processes: none');
  console.log(`leftover processes 3 s after closing: ${pids.join(' ')} (killing them)`);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

try {
  await main();
} finally {
  await reportLeftovers();
  tmp.remove();
}
