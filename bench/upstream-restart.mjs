// An HTTP upstream killed and started again under a steady call load through pml. Prints, per
// upstream: calls that failed while it was down, calls that failed after it was back (target 0), and
// the time from its first ready moment (its own "listening" line) to the first successful call through
// pml (target <= 100 ms). Health checks are set to 10 minutes, so nothing here waits for one.
//
// Two upstreams, both restarted on the same port, each forgetting pml's session in its own way:
// server-everything in streamableHttp mode (answers the old session id with 400 "No valid session
// ID") and pml's conformance fixture in its 2025-11-25 HTTP mode (answers 404 "Session not found").
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import {
  EVERYTHING,
  ROOT,
  machineInfo,
  makeTempRoot,
  printTable,
  reportLeftovers,
  spawnHttpGateway,
  verdict,
} from './lib.mjs';

const CALLERS = 4;
const PAUSE_BETWEEN_CALLS_MS = 5;
const UP_BEFORE_KILL_MS = 1_500;
const DOWN_FOR_MS = 1_500;
const UP_AFTER_RESTART_MS = 2_000;
const MARKER = `pml-bench-upstream-restart-${process.pid}`;

const UPSTREAMS = [
  {
    name: 'server-everything (400 on a lost session)',
    tool: 'ev__echo',
    args: { message: 'hi' },
    start: (port) =>
      startUpstream([EVERYTHING, 'streamableHttp'], { PORT: String(port) }, /listening on port/),
  },
  {
    name: 'conformance fixture, 2025-11-25 (404 on a lost session)',
    tool: 'ev__test_simple_text',
    args: {},
    start: (port) =>
      startUpstream(
        [join(ROOT, 'test/fixtures/conformance-server.mjs'), '--era', 'legacy', '--port', String(port)],
        {},
        /^listening /m,
      ),
  },
];

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts an upstream and resolves with it and the moment its "listening" line arrived. */
function startUpstream(args, env, readyLine) {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, PML_BENCH_MARKER: MARKER },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let seen = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk) => {
      seen += chunk.toString();
      if (readyLine.test(seen)) resolve({ child, readyAtMs: performance.now() });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`upstream exited (${code}) before listening:\n${seen}`)));
  });
}

async function kill(child) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** The distinct answers of failed calls, timestamps and ports masked so that one kind shows once. */
function distinctTexts(calls) {
  const texts = calls
    .filter((call) => !call.ok)
    .map((call) => call.text.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>').slice(0, 300));
  return [...new Set(texts)];
}

async function runOne(upstream, temp) {
  const port = await freePort();
  let current = await upstream.start(port);
  const configPath = join(temp.path, `pml-${port}.json`);
  writeFileSync(
    configPath,
    JSON.stringify({
      mcpServers: { ev: { url: `http://127.0.0.1:${port}/mcp` } },
      gateway: { healthCheckIntervalMs: 600_000 },
      storage: { enabled: false },
    }),
  );
  const gateway = spawnHttpGateway({
    args: ['--config', configPath],
    env: { PML_DATA_DIR: join(temp.path, 'data'), PML_LOG_LEVEL: 'warn', PML_BENCH_MARKER: MARKER },
    cwd: temp.path,
  });
  const client = new Client({ name: 'bench-upstream-restart', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(await gateway.url)));

  const calls = [];
  let running = true;
  const caller = async () => {
    while (running) {
      const startedAtMs = performance.now();
      let ok = false;
      let text = '';
      try {
        const result = await client.callTool({ name: upstream.tool, arguments: upstream.args });
        ok = result.isError !== true;
        text = ok ? '' : (result.content?.[0]?.text ?? '');
      } catch (error) {
        text = error.message;
      }
      calls.push({ startedAtMs, endedAtMs: performance.now(), ok, text });
      await new Promise((resolve) => setTimeout(resolve, PAUSE_BETWEEN_CALLS_MS));
    }
  };
  const callers = Array.from({ length: CALLERS }, caller);

  await new Promise((resolve) => setTimeout(resolve, UP_BEFORE_KILL_MS));
  const killedAtMs = performance.now();
  await kill(current.child);
  await new Promise((resolve) => setTimeout(resolve, DOWN_FOR_MS));
  current = await upstream.start(port);
  const readyAtMs = current.readyAtMs;
  await new Promise((resolve) => setTimeout(resolve, UP_AFTER_RESTART_MS));
  running = false;
  await Promise.all(callers);

  const before = calls.filter((call) => call.endedAtMs < killedAtMs);
  const whileDown = calls.filter((call) => call.endedAtMs >= killedAtMs && call.startedAtMs < readyAtMs);
  const afterBack = calls.filter((call) => call.startedAtMs >= readyAtMs);
  const firstSuccess = calls
    .filter((call) => call.ok && call.endedAtMs >= readyAtMs && call.startedAtMs >= killedAtMs)
    .sort((a, b) => a.endedAtMs - b.endedAtMs)[0];
  // pml logs each connect with its duration: the last one is the reconnect after the restart.
  const reconnects = gateway.stderr.filter((line) => line.includes('server ready'));
  const reconnectMs = Number(/ms=(\d+)/.exec(reconnects.at(-1) ?? '')?.[1] ?? NaN);
  await client.close().catch(() => {});
  await gateway.stop();
  // The floor, side by side: a client connecting straight to the upstream as it comes back (killed
  // and started once more) and making the same call.
  await kill(current.child);
  current = await upstream.start(port);
  const direct = new Client({ name: 'bench-upstream-direct', version: '1.0.0' });
  await direct.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
  await direct.callTool({ name: upstream.tool.replace(/^ev__/, ''), arguments: upstream.args });
  const directMs = performance.now() - current.readyAtMs;
  await direct.close().catch(() => {});
  await kill(current.child);
  return {
    directMs,
    before,
    whileDown,
    afterBack,
    firstSuccessMs: firstSuccess ? firstSuccess.endedAtMs - readyAtMs : NaN,
    reconnectMs,
    downMessages: distinctTexts(whileDown),
    afterMessages: distinctTexts(afterBack),
  };
}

console.log(`bench/upstream-restart: ${machineInfo()}`);
console.log(
  `${CALLERS} callers, ${PAUSE_BETWEEN_CALLS_MS} ms between calls each; upstream up ${UP_BEFORE_KILL_MS} ms, killed (SIGKILL), down ${DOWN_FOR_MS} ms, started again on the same port, then ${UP_AFTER_RESTART_MS} ms more`,
);
const temp = makeTempRoot('pml-bench-upstream-');
const rows = [];
const messages = [];
try {
  for (const upstream of UPSTREAMS) {
    const result = await runOne(upstream, temp);
    const failedDown = result.whileDown.filter((call) => !call.ok).length;
    const failedAfter = result.afterBack.filter((call) => !call.ok).length;
    const okBefore = result.before.filter((call) => call.ok).length;
    rows.push([
      upstream.name,
      `${okBefore}/${result.before.length}`,
      `${failedDown}/${result.whileDown.length}`,
      `${failedAfter}/${result.afterBack.length}`,
      verdict(failedAfter === 0),
      result.firstSuccessMs.toFixed(1),
      verdict(result.firstSuccessMs <= 100),
      String(result.reconnectMs),
      result.directMs.toFixed(1),
    ]);
    messages.push([upstream.name, result.downMessages, result.afterMessages]);
  }
} finally {
  temp.remove();
}
printTable(
  'calls through pml around an upstream restart',
  [
    'upstream',
    'ok before kill',
    'failed while down',
    'failed after back',
    'target 0',
    'ready -> first ok (ms)',
    'target <= 100',
    'of which reconnect (ms)',
    'direct client: ready -> first ok (ms)',
  ],
  rows,
);
for (const [name, down, after] of messages) {
  console.log(`\n${name}: what a call answered while the upstream was down`);
  for (const text of down) console.log(`  - ${text}`);
  if (after.length > 0) {
    console.log('after it was back:');
    for (const text of after) console.log(`  - ${text}`);
  }
}
await reportLeftovers(MARKER);
