// No orphan, ever, and one-shot commands that end: whatever a server does at the end (keeps its pipes
// open, ignores SIGTERM, runs under an npx-like wrapper that does not forward signals), every pml
// command exits by itself or on a signal, and no process it started is left. Each test tags its
// servers' environment and looks for the tag in /proc afterwards.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/gateway.js';
import { EVERYTHING_SERVER, NODE, ROOT } from '../helpers/paths.js';
import { spawnPml, type PmlProcess } from '../helpers/pml-process.js';
import { createProcessTag, listTaggedProcesses, PROCESS_TAG_VARIABLE } from '../helpers/process-tags.js';
import { isAlive } from '../helpers/processes.js';

const LINGERING = join(ROOT, 'test', 'fixtures', 'lingering-server.mjs');
const WRAPPER = join(ROOT, 'test', 'fixtures', 'wrapper.mjs');

const WRAPPED_LINGERING = { command: NODE, args: [WRAPPER, LINGERING] };

type ServerKind = 'wrapped everything' | 'wrapped lingering' | 'npx everything';
// How each kind is started, and a call its `echo` answers.
const KINDS: Record<ServerKind, { entry: Record<string, unknown>; echo: Record<string, string> }> = {
  'wrapped everything': {
    entry: { command: NODE, args: [WRAPPER, EVERYTHING_SERVER] },
    echo: { message: 'hi' },
  },
  // The worst case: SIGTERM ends only the wrapper; the server under it ignores it and holds the pipes.
  'wrapped lingering': { entry: WRAPPED_LINGERING, echo: { text: 'hi' } },
  // The real thing, offline: npx resolves the locally installed bin from the repository root.
  'npx everything': {
    entry: { command: 'npx', args: ['--no-install', 'mcp-server-everything'], cwd: ROOT },
    echo: { message: 'hi' },
  },
};

const dirs: string[] = [];
const tags: string[] = [];
const running: PmlProcess[] = [];
// Even when a test fails midway: no pml, no server, no temp folder survives it.
afterEach(() => {
  for (const pml of running.splice(0)) pml.child.kill('SIGKILL');
  for (const pid of tags.splice(0).flatMap(listTaggedProcesses)) process.kill(pid, 'SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A config with one server `s`, tagged, logging to a file of its own. */
function setUp(entry: Record<string, unknown>) {
  const tag = createProcessTag();
  tags.push(tag);
  const dir = mkdtempSync(join(tmpdir(), 'pml-procs-'));
  dirs.push(dir);
  const log = join(dir, 'fixture.log');
  const config = join(dir, 'pml.config.json');
  const server = { ...entry, env: { [PROCESS_TAG_VARIABLE]: tag, FIXTURE_LOG: log } };
  writeFileSync(config, JSON.stringify({ mcpServers: { s: server } }));
  const readLog = () => (existsSync(log) ? readFileSync(log, 'utf8') : '');
  const start = (args: string[], env: Record<string, string> = { PML_LOG_LEVEL: 'warn' }) => {
    const pml = spawnPml([...args, '--config', config], { dir, env });
    running.push(pml);
    return pml;
  };
  /** Every pid the fixtures wrote down (servers and wrappers). */
  const loggedPids = () =>
    [...readLog().matchAll(/^(?:pid|wrapper) (\d+)$/gm)].map((match) => Number(match[1]));
  const noneLeft = () => waitFor(() => listTaggedProcesses(tag).length === 0, 3_000);
  return { readLog, start, loggedPids, noneLeft };
}

describe('one-shot commands', () => {
  const cases = (['doctor', 'tools', 'call'] as const).flatMap((command) =>
    (Object.keys(KINDS) as ServerKind[]).map((kind) => [command, kind] as const),
  );
  it.each(cases)('%s with the %s server exits by itself and leaves no process', async (command, kind) => {
    const setup = setUp(KINDS[kind].entry);
    const args = command === 'call' ? ['call', 's__echo', JSON.stringify(KINDS[kind].echo)] : [command];
    const pml = setup.start(args);
    const end = await pml.ended;
    expect(end, pml.stderr()).toEqual({ code: 0, signal: null });
    expect(pml.stdout()).toMatch(
      command === 'call' ? /Echo: hi/ : command === 'tools' ? /s__echo/ : /ok +s /,
    );
    // Each server stopped within its grace: the shutdown's last-resort kill was not needed.
    expect(pml.stderr()).not.toMatch(/killing them/);
    await setup.noneLeft();
    for (const pid of setup.loggedPids()) expect(isAlive(pid)).toBe(false);
  });

  it('answers a server roots/list at once with -32601 when no client can answer it', async () => {
    // doctor: no client at all. The fixture holds tools/list until its roots/list is answered.
    const doctor = setUp({ command: NODE, args: [LINGERING] });
    expect((await doctor.start(['doctor']).ended).code).toBe(0);
    expect(doctor.readLog()).toMatch(/^roots \{"error":\{"code":-32601,"message":"No MCP client connected/m);
    // call: a client that declares no roots capability, asked during its own call.
    const call = setUp({ command: NODE, args: [LINGERING] });
    const pml = call.start(['call', 's__ask_roots']);
    expect((await pml.ended).code).toBe(0);
    expect(pml.stdout()).toMatch(/"code":-32601/);
    await Promise.all([doctor.noneLeft(), call.noneLeft()]);
  });
});

describe('a signal during a call', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s stops the wrapped server and its child, and pml exits %i', async (signal, exitCode) => {
    const setup = setUp(WRAPPED_LINGERING);
    const pml = setup.start(['call', 's__wait']);
    await waitFor(() => setup.readLog().includes('call wait'), 15_000);
    expect(setup.loggedPids()).toHaveLength(2);
    pml.child.kill(signal);
    expect(await pml.ended).toEqual({ code: exitCode, signal: null });
    await setup.noneLeft();
    for (const pid of setup.loggedPids()) expect(isAlive(pid)).toBe(false);
  });

  it('a second SIGINT while shutting down kills the servers at once', async () => {
    const setup = setUp(WRAPPED_LINGERING);
    const pml = setup.start(['call', 's__wait'], { PML_LOG_LEVEL: 'info' });
    await waitFor(() => setup.readLog().includes('call wait'), 15_000);
    pml.child.kill('SIGINT');
    // The server ignores the SIGTERM pml sends it; the second Ctrl-C does not wait out its grace.
    await waitFor(() => setup.readLog().includes('SIGTERM ignored'), 5_000);
    pml.child.kill('SIGINT');
    expect(await pml.ended).toEqual({ code: 130, signal: null });
    expect(pml.stderr()).toMatch(/SIGINT again while shutting down/);
    await setup.noneLeft();
  });
});

describe('pml serve', () => {
  let holder: Server | undefined;
  afterEach(() => void holder?.close());

  it('names the taken port and --port in one line, exits 1 and starts no server', async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder!.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as { port: number }).port;
    const setup = setUp(WRAPPED_LINGERING);
    // serve's own default log level (info), as a user runs it.
    const pml = setup.start(['serve', '--http', '--port', String(port)], { PML_LOG_LEVEL: 'info' });
    expect((await pml.ended).code).toBe(1);
    // Besides pml's own log lines (telemetry off, at serve's info level): that one line, no stack.
    const lines = pml.stderr().trimEnd().split('\n');
    expect(lines.filter((line) => !line.startsWith('[pml] info '))).toEqual([
      `pml: 127.0.0.1:${port} is already in use by another process; stop it or choose another port with --port`,
    ]);
    await setup.noneLeft();
  });

  it.each([
    ['its stdin closes', (pml: PmlProcess) => pml.child.stdin!.end(), 0],
    ['it gets SIGTERM', (pml: PmlProcess) => pml.child.kill('SIGTERM'), 143],
  ] as const)('over stdio stops the wrapped server and its child when %s', async (_when, end, exitCode) => {
    const setup = setUp(WRAPPED_LINGERING);
    const pml = setup.start(['serve'], { PML_LOG_LEVEL: 'info' });
    await waitFor(() => /server ready/.test(pml.stderr()), 15_000);
    expect(setup.loggedPids()).toHaveLength(2);
    end(pml);
    expect(await pml.ended).toEqual({ code: exitCode, signal: null });
    await setup.noneLeft();
    for (const pid of setup.loggedPids()) expect(isAlive(pid)).toBe(false);
  });

  it('over stdio finishes a shutdown its client began when SIGTERM follows', async () => {
    // An SDK client ends stdin, then sends SIGTERM 2 s later: pml's close (which saves pending
    // data) goes on rather than turning into the kill a second Ctrl-C would be.
    const setup = setUp(WRAPPED_LINGERING);
    const pml = setup.start(['serve'], { PML_LOG_LEVEL: 'info' });
    await waitFor(() => /server ready/.test(pml.stderr()), 15_000);
    pml.child.stdin!.end();
    // The server ignores the SIGTERM pml sends it, so the close is still under way.
    await waitFor(() => setup.readLog().includes('SIGTERM ignored'), 5_000);
    pml.child.kill('SIGTERM');
    expect(await pml.ended).toEqual({ code: 0, signal: null });
    expect(pml.stderr()).not.toMatch(/again while shutting down/);
    await setup.noneLeft();
  });
});
