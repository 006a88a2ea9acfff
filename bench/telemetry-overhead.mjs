// Telemetry overhead: tools/call latency through `pml serve` (stdio) to server-everything's echo, with
// telemetry off and with SENTRY_DSN pointed at a local envelope receiver at trace sample rates 0.1 and
// 1.0, measured side by side in interleaved rounds. A report against targets: exits 0 unless it crashes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client } from '@modelcontextprotocol/client';
import * as lib from './lib.mjs';

const CALLS = Math.max(1, Number(process.env.BENCH_CALLS) || 2000);
const WARMUP = 200;
const ROUNDS = 10; // the measured calls of each variant are split into rounds that alternate the variants
const CALL_TIMEOUT_MS = 10_000;
const TOOL = 'everything__echo';
const TRANSACTION = `tools/call ${TOOL}`;
const TARGETS = { 'rate 0.1': 5, 'rate 1.0': 25 }; // max p50 overhead over "off", in %
// BENCH_CPU_PROF=<dir>: each gateway writes a V8 CPU profile there on exit (open in Chrome DevTools).
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF;

const tmp = lib.makeTempRoot();
const MARKER = tmp.path; // appears in the command line or environment of every process this run starts
const configPath = join(tmp.path, 'config.json');
const everything = { command: process.execPath, args: [lib.EVERYTHING], env: { PML_BENCH_RUN: MARKER } };
writeFileSync(configPath, JSON.stringify({ mcpServers: { everything } }, null, 2));

// The envelope receiver runs in a worker thread: its parsing must not share the event loop that times
// the calls, or the 1.0 variant would be charged for the receiver's work too. It answers 200 to every
// envelope and counts, per DSN project, the transactions by name and the SDK's client reports.
const RECEIVER = `
const { parentPort } = require('node:worker_threads');
const { createServer } = require('node:http');
const { gunzipSync } = require('node:zlib');
const projects = {};
function items(body) {
  const found = [];
  let pos = body.indexOf(10) + 1; // skip the envelope header
  while (pos > 0 && pos < body.length) {
    let end = body.indexOf(10, pos);
    if (end < 0) end = body.length;
    const headerText = body.subarray(pos, end).toString('utf8');
    pos = end + 1;
    if (headerText.trim() === '') continue;
    const header = JSON.parse(headerText);
    let payload;
    if (typeof header.length === 'number') {
      payload = body.subarray(pos, pos + header.length);
      pos += header.length + (body[pos + header.length] === 10 ? 1 : 0);
    } else {
      end = body.indexOf(10, pos);
      if (end < 0) end = body.length;
      payload = body.subarray(pos, end);
      pos = end + 1;
    }
    found.push({ type: header.type, payload });
  }
  return found;
}
function record(project, body) {
  const counts = (projects[project] ??= { envelopes: 0, transactions: {}, discarded: {}, other: {} });
  counts.envelopes += 1;
  for (const { type, payload } of items(body)) {
    if (type === 'transaction') {
      const name = JSON.parse(payload.toString('utf8')).transaction;
      counts.transactions[name] = (counts.transactions[name] ?? 0) + 1;
    } else if (type === 'client_report') {
      for (const d of JSON.parse(payload.toString('utf8')).discarded_events ?? []) {
        const key = d.reason + ':' + d.category;
        counts.discarded[key] = (counts.discarded[key] ?? 0) + d.quantity;
      }
    } else {
      counts.other[type] = (counts.other[type] ?? 0) + 1;
    }
  }
}
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const project = /^\\/api\\/([^/]+)\\/envelope\\//.exec(req.url ?? '')?.[1];
    try {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      if (project) record(project, body);
    } catch (error) {
      (projects.unparseable ??= []).push(String(error));
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', () => parentPort.postMessage({ projects }));
`;

function startReceiver() {
  const worker = new Worker(RECEIVER, { eval: true });
  const nextMessage = () =>
    new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  return nextMessage().then(({ port }) => ({
    dsn: (project) => `http://publickey@127.0.0.1:${port}/${project}`,
    counts: async () => {
      const reply = nextMessage();
      worker.postMessage('counts');
      return (await reply).projects;
    },
    close: () => worker.terminate(),
  }));
}

async function connect(variant) {
  const dir = join(tmp.path, variant.project);
  mkdirSync(dir);
  const env = {
    PML_DATA_DIR: join(dir, 'data'),
    PML_LOG_LEVEL: 'info', // startup lines only; they confirm that telemetry is on or off as intended
    PML_BENCH_RUN: MARKER,
    ...variant.env,
  };
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [
      ...(CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${join(CPU_PROF_DIR, variant.project)}`] : []),
      lib.PML_CLI,
      'serve',
      '--config',
      configPath,
    ],
    env,
    cwd: dir,
    stderr: 'pipe',
  });
  const stderr = [];
  lib.collectLines(transport.stderr, stderr);
  const client = new Client({ name: `bench-telemetry-${variant.project}`, version: '1.0.0' });
  await client.connect(transport);
  const { tools } = await client.listTools(); // also waits for the downstream server to be ready
  if (!tools.some((tool) => tool.name === TOOL)) throw new Error(`${variant.name}: no tool ${TOOL}`);
  let calls = 0;
  const call = async () => {
    calls += 1;
    const result = await client.callTool(
      { name: TOOL, arguments: { message: 'hello' } },
      {
        timeout: CALL_TIMEOUT_MS,
      },
    );
    if (result.isError) throw new Error(`${variant.name}: ${TOOL} failed: ${JSON.stringify(result.content)}`);
  };
  const start = performance.now();
  await call();
  const firstCallMs = performance.now() - start;
  return Object.assign(variant, { client, stderr, call, calls: () => calls, firstCallMs, samples: [] });
}

async function sequential(variant, count) {
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await variant.call();
    variant.samples.push(performance.now() - start);
  }
}

/** Runs `step` for every variant in each round, rotating who goes first so noise hits all alike. */
async function interleaved(variants, sizes, step) {
  for (const [round, size] of sizes.entries()) {
    for (let i = 0; i < variants.length; i++) await step(variants[(round + i) % variants.length], size);
  }
}

/** Polls the receiver until its counts stop changing for a second (or 10 s pass). */
async function settledCounts(receiver) {
  let last = JSON.stringify(await receiver.counts());
  for (let stable = 0, waited = 0; stable < 1000 && waited < 10_000; waited += 250) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = JSON.stringify(await receiver.counts());
    stable = now === last ? stable + 250 : 0;
    last = now;
  }
  return JSON.parse(last);
}

const pct = (value, base) => (100 * (value - base)) / base;
const signed = (value, digits = 1) => `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;

async function main() {
  console.log('pml telemetry overhead: everything__echo through `pml serve` (stdio), telemetry off vs on');
  console.log(`machine: ${lib.machineInfo()}`);
  console.log(
    `per variant: ${WARMUP} warm-up, ${CALLS} sequential calls in ${ROUNDS} interleaved rounds; ` +
      'DSN = a local envelope receiver on 127.0.0.1 (worker thread, answers 200)',
  );

  const receiver = await startReceiver();
  const variants = [
    { name: 'off', project: 'off', rate: 0, env: {} },
    // Not a target: what telemetry costs with no request sampled (SDK loaded, async context on).
    {
      name: 'rate 0',
      project: '3',
      rate: 0,
      env: { SENTRY_DSN: receiver.dsn('3'), SENTRY_TRACES_SAMPLE_RATE: '0' },
    },
    {
      name: 'rate 0.1',
      project: '1',
      rate: 0.1,
      env: { SENTRY_DSN: receiver.dsn('1'), SENTRY_TRACES_SAMPLE_RATE: '0.1' },
    },
    {
      name: 'rate 1.0',
      project: '2',
      rate: 1,
      env: { SENTRY_DSN: receiver.dsn('2'), SENTRY_TRACES_SAMPLE_RATE: '1.0' },
    },
  ];
  let counts;
  try {
    for (const variant of variants) await connect(variant); // one at a time: startup is CPU-heavy
    await interleaved(variants, [WARMUP], sequential);
    for (const variant of variants) variant.samples.length = 0; // warm-up is not measured
    await interleaved(variants, lib.splitEvenly(CALLS, ROUNDS), sequential);
  } finally {
    // Closing ends the gateways' stdin: they flush their telemetry and exit.
    for (const variant of variants) await variant.client?.close().catch(() => {});
    counts = await settledCounts(receiver);
    await receiver.close();
  }

  // Sequential calls: throughput is calls per second of time spent in calls.
  const stats = new Map(
    variants.map((v) => [
      v,
      {
        ...lib.summarize(v.samples),
        perSecond: (1000 * v.samples.length) / v.samples.reduce((a, b) => a + b, 0),
      },
    ]),
  );
  const off = stats.get(variants[0]);
  const onVariants = variants.slice(1);
  const targeted = variants.filter((v) => v.name in TARGETS);

  lib.printTable(
    'Sequential tools/call latency (ms) and throughput',
    ['variant', 'calls', 'p50', 'p95', 'p99', 'calls/s', 'first call after start'],
    variants.map((v) => {
      const s = stats.get(v);
      const row = [
        lib.ms(s.p50),
        lib.ms(s.p95),
        lib.ms(s.p99),
        s.perSecond.toFixed(0),
        lib.ms(v.firstCallMs),
      ];
      return [v.name, s.n, ...row];
    }),
  );
  lib.printTable(
    'Ratios to telemetry off, measured side by side (interleaved rounds)',
    ['variant', 'p50 ratio', 'p50 ms', 'p50 %', 'throughput ratio', 'throughput %', 'p95 ratio'],
    onVariants.map((v) => {
      const s = stats.get(v);
      return [
        v.name,
        (s.p50 / off.p50).toFixed(3),
        signed(s.p50 - off.p50, 3),
        `${signed(pct(s.p50, off.p50))}%`,
        (s.perSecond / off.perSecond).toFixed(3),
        `${signed(pct(s.perSecond, off.perSecond))}%`,
        (s.p95 / off.p95).toFixed(3),
      ];
    }),
  );

  // Sanity: the receiver should get ≈ rate x calls transactions (binomial spread: 4 sigma allowed).
  lib.printTable(
    `Transactions "${TRANSACTION}" received (calls include warm-up and the first call)`,
    ['variant', 'calls', 'transactions', 'share', 'expected', 'sanity', 'SDK client reports (discarded)'],
    variants.map((v) => {
      const got = counts[v.project]?.transactions[TRANSACTION] ?? 0;
      const calls = v.calls();
      const expected = v.rate * calls;
      const spread = 4 * Math.sqrt(calls * v.rate * (1 - v.rate));
      const ok = Math.abs(got - expected) <= Math.max(1, spread);
      const discarded = Object.entries(counts[v.project]?.discarded ?? {})
        .map(([key, quantity]) => `${key}=${quantity}`)
        .join(' ');
      return [
        v.name,
        calls,
        got,
        `${((100 * got) / calls).toFixed(1)}%`,
        `${(v.rate * 100).toFixed(0)}% (${expected.toFixed(0)})`,
        ok ? 'ok' : 'UNEXPECTED',
        discarded || '-',
      ];
    }),
  );
  if (counts.unparseable) console.log(`receiver could not parse: ${counts.unparseable.join('; ')}`);

  lib.printTable(
    'Targets',
    ['check', 'target', 'result', 'verdict'],
    targeted.map((v) => {
      const overhead = pct(stats.get(v).p50, off.p50);
      const target = TARGETS[v.name];
      return [
        `p50 overhead at ${v.name}`,
        `<= +${target}%`,
        `${signed(overhead)}%`,
        lib.verdict(overhead <= target),
      ];
    }),
  );

  const isOn = (v) => v.env.SENTRY_DSN !== undefined;
  const expectedLine = (v) => (isOn(v) ? /telemetry on/ : /telemetry off/);
  const problems = variants.flatMap((v) => [
    ...(v.stderr.some((line) => expectedLine(v).test(line))
      ? []
      : [`${v.name}: no "${isOn(v) ? 'telemetry on' : 'telemetry off'}" line on stderr`]),
    ...v.stderr.filter((line) => !line.startsWith('[pml] info ')).map((line) => `${v.name}: ${line}`),
  ]);
  console.log(
    `\ngateway stderr at warn or above, or telemetry not as intended: ${problems.length === 0 ? 'none' : `\n  ${problems.join('\n  ')}`}`,
  );
}

try {
  await main();
} finally {
  await lib.reportLeftovers(MARKER);
  tmp.remove();
}
