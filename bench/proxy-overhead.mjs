// Proxy overhead: server-everything's echo called directly, through a naive SDK proxy
// (bench/fixtures/naive-proxy.mjs) and through pml (stdio and Streamable HTTP, each with a
// 2025-11-25 and a 2026-07-28 client), all in the same interleaved rounds; plus idle RSS of the proxy processes and pml's initialize time after spawn.
// A report against targets: exits 0 unless something crashes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import * as lib from './lib.mjs';

const CALLS = Math.max(1, Number(process.env.BENCH_CALLS) || 2000);
const WARMUP = 200;
const CONCURRENCY = 10;
const ROUNDS = 5; // every measurement is split into rounds that alternate the variants
const INIT_SPAWNS = 5;
const CALL_TIMEOUT_MS = 10_000;
const CALLS_PER_CALLER = Math.max(1, Math.round(CALLS / 4)); // 500 each by default: 5,000 calls per variant
const SETTLE_MS = 500; // pause before reading RSS, so the process is idle
const NAIVE_PROXY = join(lib.ROOT, 'bench/fixtures/naive-proxy.mjs');
const MiB = (value) => (Number.isFinite(value) ? value.toFixed(1) : 'n/a');
const ratio = (value) => (Number.isFinite(value) ? `${value.toFixed(2)}x` : 'n/a');

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

// A 2026-07-28 client: no handshake, the `_meta` envelope on every request.
const MODERN = { versionNegotiation: { mode: { pin: '2026-07-28' } } };

async function connect(
  name,
  transport,
  toolName,
  { stderr = [], pid = () => transport.pid, clientOptions } = {},
) {
  const client = new Client({ name: `bench-${name}`, version: '1.0.0' }, clientOptions);
  if (transport.stderr) lib.collectLines(transport.stderr, stderr);
  await client.connect(transport);
  const { tools } = await client.listTools(); // also waits for pml's downstream servers to be ready
  const echo = tools.find((tool) => tool.name === toolName);
  if (!echo?.inputSchema.properties?.message)
    throw new Error(`${name}: no tool ${toolName} with a "message" argument`);
  const call = async () => {
    const result = await client.callTool(
      { name: toolName, arguments: { message: 'hello' } },
      {
        timeout: CALL_TIMEOUT_MS,
      },
    );
    if (result.isError) throw new Error(`${name}: ${toolName} failed: ${JSON.stringify(result.content)}`);
  };
  return {
    name,
    client,
    transport,
    call,
    stderr,
    pid,
    rssPid: null,
    rss: {},
    samples: [],
    concurrentCalls: 0,
    concurrentMs: 0,
  };
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

/** Records, per variant, the RSS of the process the client talks to and of that process with its descendants. */
async function readRss(variants, label) {
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  for (const variant of variants) {
    const pid = variant.pid();
    const tree = [pid, ...lib.descendantPids(pid)];
    variant.rssPid = pid; // the transport forgets its pid once closed
    variant.rss[label] = {
      self: lib.rssMiB(pid),
      tree: tree.reduce((sum, each) => sum + lib.rssMiB(each), 0),
      processes: tree.length,
    };
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
  console.log('pml proxy overhead: echo of server-everything, direct vs naive SDK proxy vs the gateway');
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
    variants.push(await connect('naive proxy', stdio([NAIVE_PROXY]), 'echo'));
    variants.push(
      await connect('pml stdio', stdio([lib.PML_CLI, 'serve', '--config', configPath]), 'everything__echo'),
    );
    variants.push(
      await connect(
        'pml http',
        new StreamableHTTPClientTransport(new URL(await http.url), { fetch: fetchWithoutSharedSignal }),
        'everything__echo',
        { stderr: http.stderr, pid: () => http.child.pid },
      ),
    );
    variants.push(
      await connect(
        'pml stdio 2026-07-28',
        stdio([lib.PML_CLI, 'serve', '--config', configPath]),
        'everything__echo',
        { clientOptions: MODERN },
      ),
    );
    variants.push(
      await connect(
        'pml http 2026-07-28',
        new StreamableHTTPClientTransport(new URL(await http.url), { fetch: fetchWithoutSharedSignal }),
        'everything__echo',
        { stderr: http.stderr, pid: () => http.child.pid, clientOptions: MODERN },
      ),
    );
    await readRss(variants, 'connect');

    await interleaved(variants, [WARMUP], sequential);
    for (const variant of variants) variant.samples.length = 0; // warm-up is not measured
    await interleaved(variants, lib.splitEvenly(CALLS, ROUNDS), sequential);
    await interleaved(variants, lib.splitEvenly(CALLS_PER_CALLER, ROUNDS), concurrent);
    await readRss(variants, 'load');
  } finally {
    for (const { transport } of variants) await transport.terminateSession?.().catch(() => {});
    for (const { client } of variants) await client.close().catch(() => {});
    await http.stop();
  }
  const initMs = await initializeTimes();

  const [direct, naive, ...gateways] = variants;
  const [gwStdio, gwHttp] = gateways;
  const proxies = [naive, ...gateways];
  const stats = new Map(variants.map((v) => [v, lib.summarize(v.samples)]));
  const throughput = (v) => v.concurrentCalls / (v.concurrentMs / 1000);
  const added = (v, p) => stats.get(v)[p] - stats.get(direct)[p];

  lib.printTable(
    'Sequential echo latency (ms)',
    ['variant', 'calls', 'p50', 'p95', 'p99'],
    variants.map((v) => {
      const s = stats.get(v);
      return [v.name, s.n, lib.ms(s.p50), lib.ms(s.p95), lib.ms(s.p99)];
    }),
  );
  lib.printTable(
    'Added latency over direct (ms)',
    ['variant', 'added p50', 'added p95', 'added p99'],
    proxies.map((v) => [v.name, lib.ms(added(v, 'p50')), lib.ms(added(v, 'p95')), lib.ms(added(v, 'p99'))]),
  );
  lib.printTable(
    `${CONCURRENCY} concurrent callers sharing one client/session`,
    ['variant', 'calls', 'seconds', 'calls/s', 'vs direct', 'vs naive proxy'],
    variants.map((v) => [
      v.name,
      v.concurrentCalls,
      (v.concurrentMs / 1000).toFixed(3),
      throughput(v).toFixed(0),
      ratio(throughput(v) / throughput(direct)),
      ratio(throughput(v) / throughput(naive)),
    ]),
  );
  lib.printTable(
    `Idle RSS (MiB), ${SETTLE_MS} ms after connect + tools/list and after the load`,
    ['variant', 'process', 'after connect', 'after load', 'with children after load', 'processes'],
    variants.map((v) => [
      v.name,
      v.rssPid ?? '?',
      MiB(v.rss.connect.self),
      MiB(v.rss.load.self),
      MiB(v.rss.load.tree),
      v.rss.load.processes,
    ]),
  );
  console.log(
    "RSS targets compare the proxy processes themselves (pml gateway process vs naive proxy process); each one's\n" +
      "downstream server-everything is a separate process, counted only in 'with children'.",
  );
  console.log(
    `\ninitialize after spawn (pml serve, embedded default, stdio), ${INIT_SPAWNS} spawns ms: ${initMs.map(lib.ms).join(' ')}`,
  );

  const addedP50 = added(gwStdio, 'p50');
  const addedP95 = added(gwStdio, 'p95');
  const vsDirect = throughput(gwStdio) / throughput(direct);
  const vsNaive = throughput(gwStdio) / throughput(naive);
  const httpP50 = stats.get(gwHttp).p50;
  const initMedian = initMs[Math.floor(initMs.length / 2)];
  const rssCheck = (label) => {
    const pml = gwStdio.rss[label].self;
    const base = naive.rss[label].self;
    return check(
      `pml stdio process RSS, idle after ${label}`,
      '<= naive proxy + 20 MiB',
      `${MiB(pml)} vs ${MiB(base)} MiB (${pml >= base ? '+' : ''}${MiB(pml - base)})`,
      pml <= base + 20,
    );
  };
  const check = (name, target, result, ok) => [name, target, result, lib.verdict(ok)];
  lib.printTable(
    'Targets',
    ['check', 'target', 'result', 'verdict'],
    [
      check('stdio gateway added latency p50', '<= 0.300 ms', `${lib.ms(addedP50)} ms`, addedP50 <= 0.3),
      check('stdio gateway added latency p95', '<= 1.000 ms', `${lib.ms(addedP95)} ms`, addedP95 <= 1),
      check('stdio gateway throughput, 10 concurrent', '>= 0.80x direct', ratio(vsDirect), vsDirect >= 0.8),
      check(
        'pml throughput > naive proxy, 10 concurrent',
        '> 1.00x naive proxy',
        `${ratio(vsNaive)} (${throughput(gwStdio).toFixed(0)} vs ${throughput(naive).toFixed(0)} calls/s)`,
        vsNaive > 1,
      ),
      check('http gateway latency p50, end to end', '<= 1.500 ms', `${lib.ms(httpP50)} ms`, httpP50 <= 1.5),
      rssCheck('connect'),
      rssCheck('load'),
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
  // The naive proxy lets server-everything's stderr through; its start-up banner is expected.
  const naiveLines = naive.stderr.filter((line) => !line.startsWith('Starting default'));
  console.log(`naive proxy stderr: ${naiveLines.length === 0 ? 'none' : `\n  ${naiveLines.join('\n  ')}`}`);
}

try {
  await main();
} finally {
  await lib.reportLeftovers(MARKER);
  tmp.remove();
}
