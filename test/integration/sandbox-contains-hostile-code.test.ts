// Hostile code against the real Deno runner: each attempt ends with a clear error (or harmlessly),
// the host is unharmed, and nothing reaches files, the environment, the network or processes.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeRunRequest } from '../../src/sandbox/code-runner.js';
import { createDenoCodeRunner, type DenoCodeRunner } from '../../src/sandbox/deno/index.js';

const TIMEOUT_MS = 15_000;
const MAX_OUTPUT_BYTES = 64 * 1024;
const MAX_RESULT_BYTES = 256 * 1024;
const MAX_TOOL_CALLS = 100;
const GATEWAY_FILE = resolve('package.json');
const SECRET = 'pml-test-secret-value';

let runner: DenoCodeRunner;
let server: Server;
let port: number;
const serverSaw = { requests: 0, connections: 0 };
let scratch: string;

beforeAll(async () => {
  process.env.PML_SANDBOX_TEST_SECRET = SECRET;
  scratch = mkdtempSync(join(tmpdir(), 'pml-hostile-'));
  server = createServer((_request, response) => {
    serverSaw.requests += 1;
    response.end('you should not see this');
  });
  server.on('connection', () => (serverSaw.connections += 1));
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  port = (server.address() as AddressInfo).port;
  runner = createDenoCodeRunner({
    poolSize: 2,
    memoryLimitMb: 64,
    maxOutputBytes: MAX_OUTPUT_BYTES,
    maxResultBytes: MAX_RESULT_BYTES,
    maxToolCalls: MAX_TOOL_CALLS,
  });
  await runner.start();
});

afterAll(async () => {
  delete process.env.PML_SANDBOX_TEST_SECRET;
  await runner.close();
  await new Promise((closed) => server.close(closed));
  rmSync(scratch, { recursive: true, force: true });
});

const echo: CodeRunRequest['callTool'] = async (request) => request.args;
const run = (code: string, extra: Partial<CodeRunRequest> = {}) =>
  runner.run({ code, timeoutMs: TIMEOUT_MS, callTool: echo, ...extra });

/** Runs code that should fail, and returns the error. */
async function failureOf(code: string, extra: Partial<CodeRunRequest> = {}) {
  const error = await run(code, extra).then(
    (result) => {
      throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
    },
    (error: unknown) => error as Error & { data: { reason?: string } },
  );
  return { name: error.name, reason: error.data.reason, message: error.message, data: error.data };
}

describe('files', () => {
  it.each([
    ['Deno.readTextFile of /etc/passwd', 'await Deno.readTextFile("/etc/passwd")'],
    [
      'Deno.readTextFileSync of the gateway package.json',
      `Deno.readTextFileSync(${JSON.stringify(GATEWAY_FILE)})`,
    ],
    ["fetch('file:///etc/passwd')", 'await (await fetch("file:///etc/passwd")).text()'],
    ['node:fs readFileSync', '(await import("node:fs")).readFileSync("/etc/passwd", "utf8")'],
    ['Deno.readDir of /', 'for await (const entry of Deno.readDir("/")) {}'],
  ])('denies reading files: %s', async (_name, code) => {
    expect(await failureOf(code)).toMatchObject({
      reason: 'thrown',
      message: expect.stringMatching(/NotCapable: Requires read access/),
    });
  });

  it('denies writing files', async () => {
    const target = join(scratch, 'written.txt');
    expect(await failureOf(`await Deno.writeTextFile(${JSON.stringify(target)}, "x")`)).toMatchObject({
      message: expect.stringContaining('Requires write access'),
    });
    expect(existsSync(target)).toBe(false);
  });
});

describe('the environment', () => {
  it.each([
    ['Deno.env.get', 'Deno.env.get("PML_SANDBOX_TEST_SECRET")'],
    ['Deno.env.toObject', 'Deno.env.toObject()'],
    ['process.env of node:process', '(await import("node:process")).default.env.PML_SANDBOX_TEST_SECRET'],
  ])('denies reading it: %s', async (_name, code) => {
    const failure = await failureOf(code);
    expect(failure).toMatchObject({
      reason: 'thrown',
      message: expect.stringContaining('Requires env access'),
    });
    expect(failure.message).not.toContain(SECRET);
  });
});

describe('the network', () => {
  it.each([
    ['fetch to a local server', (p: number) => `await fetch("http://127.0.0.1:${p}/")`],
    [
      'Deno.connect to a local server',
      (p: number) => `await Deno.connect({ hostname: "127.0.0.1", port: ${p} })`,
    ],
    ['WebSocket to a local server', (p: number) => `new WebSocket("ws://127.0.0.1:${p}/")`],
    ['node:net connect', (p: number) => `(await import("node:net")).connect(${p}, "127.0.0.1")`],
    ['Deno.listen', () => 'Deno.listen({ port: 0 })'],
  ])('denies it: %s, and the server sees nothing', async (_name, toCode) => {
    expect(await failureOf(toCode(port))).toMatchObject({
      reason: 'thrown',
      message: expect.stringContaining('Requires net access'),
    });
    expect(serverSaw).toEqual({ requests: 0, connections: 0 });
  });
});

describe('processes and native code', () => {
  it.each([
    [
      'Deno.Command',
      (file: string) => `await new Deno.Command("/bin/sh", { args: ["-c", "touch ${file}"] }).output()`,
    ],
    ['Deno.run', (file: string) => `Deno.run({ cmd: ["/bin/sh", "-c", "touch ${file}"] })`],
    [
      'node:child_process',
      (file: string) =>
        `(await import("node:child_process")).execFileSync("/bin/sh", ["-c", "touch ${file}"])`,
    ],
  ])('denies starting a process: %s', async (_name, toCode) => {
    const marker = join(scratch, `spawned-${Math.random()}`);
    const failure = await failureOf(toCode(marker));
    expect(failure.reason).toBe('thrown');
    expect(failure.message).toMatch(/Requires (run|env) access/);
    expect(existsSync(marker)).toBe(false);
  });

  it('denies signalling the gateway', async () => {
    expect(await failureOf('Deno.kill(Deno.ppid, "SIGKILL")')).toMatchObject({
      message: expect.stringContaining('Requires run access'),
    });
  });

  it('denies loading native code (FFI)', async () => {
    expect(
      await failureOf('Deno.dlopen("libc.so.6", { getpid: { parameters: [], result: "i32" } })'),
    ).toMatchObject({
      reason: 'thrown',
      message: expect.stringContaining('Requires ffi access'),
    });
  });

  it('denies asking for a permission', async () => {
    expect((await run('(await Deno.permissions.request({ name: "read" })).state')).value).toBe('denied');
  });
});

describe('imports', () => {
  it.each([
    ['a remote URL', 'await import("https://deno.land/std/path/mod.ts")', /--no-remote/],
    ['a jsr: specifier', 'await import("jsr:@std/path")', /--no-remote/],
    ['an npm: specifier', 'await import("npm:left-pad")', /--no-npm/],
    [
      'a file',
      `await import(${JSON.stringify(`file://${resolve('src/sandbox/deno/options.ts')}`)})`,
      /Requires read access/,
    ],
    [
      'a JSON file',
      `await import(${JSON.stringify(`file://${GATEWAY_FILE}`)}, { with: { type: "json" } })`,
      /Requires read access/,
    ],
  ])('denies a dynamic import of %s', async (_name, code, expected) => {
    expect(await failureOf(code)).toMatchObject({
      reason: 'thrown',
      message: expect.stringMatching(expected),
    });
  });

  it('denies a static import smuggled past the wrapper', async () => {
    const code = `})(); }\nimport data from ${JSON.stringify(`file://${GATEWAY_FILE}`)} with { type: "json" };\nexport function smuggled() { return (async function () {`;
    expect(await failureOf(code)).toMatchObject({ message: expect.stringContaining('Requires read access') });
  });

  it('refuses an import statement in the code as a syntax error', async () => {
    expect(await failureOf('import fs from "node:fs"')).toMatchObject({ reason: 'syntax' });
  });
});

describe('time', () => {
  it('kills an infinite loop at the timeout', async () => {
    expect(await failureOf('while (true) {}', { timeoutMs: 300 })).toMatchObject({
      name: 'TimeoutError',
      message: expect.stringContaining('ran longer than 300 ms'),
    });
  });

  it('kills a loop that starts after an await', async () => {
    const code =
      'await tools.t.echo({});\nawait new Promise((resolve) => setTimeout(resolve, 5));\nfor (;;) {}';
    expect(await failureOf(code, { timeoutMs: 300 })).toMatchObject({ name: 'TimeoutError' });
  });

  it('kills code that waits forever', async () => {
    expect(await failureOf('await new Promise(() => {})', { timeoutMs: 300 })).toMatchObject({
      name: 'TimeoutError',
    });
  });
});

describe('memory', () => {
  it('stops a heap bomb as out of memory, not as a crash', async () => {
    const failure = await failureOf(
      'const keep = [];\nwhile (true) keep.push(new Array(100_000).fill(Math.random()));',
    );
    expect(failure).toMatchObject({ reason: 'memory', message: expect.stringContaining('allows 64 MB') });
  });

  it('stops a bomb of buffers outside the heap as out of memory (the process data limit)', async () => {
    const code = 'const keep = [];\nwhile (true) keep.push(new Uint8Array(50_000_000).fill(1));';
    expect(await failureOf(code)).toMatchObject({ reason: 'memory' });
  });

  it('holds buffers outside the heap to about the data limit, far below the machine', async () => {
    const code =
      'const keep = [];\ntry { while (true) keep.push(new Uint8Array(10_000_000).fill(1)) } catch (error) { return { mb: keep.length * 10, error: error.message } }';
    const outcome = await run(code).then(
      ({ value }) => ({ value }),
      (error: unknown) => ({ error }),
    );
    // At the data limit V8 may need to grow its own heap in the same moment, and that growth fails
    // fatally instead of throwing: the run then ends as out of memory. Either way the buffers were
    // stopped at the limit, not at the machine's memory.
    if ('error' in outcome) return expect(outcome.error).toMatchObject({ data: { reason: 'memory' } });
    // 1,280 MB of the limit go to Deno's own reservations (deno-command.ts); the heap limit is 64 MB.
    expect(outcome.value).toEqual({ mb: expect.any(Number), error: 'Array buffer allocation failed' });
    expect((outcome.value as { mb: number }).mb).toBeLessThan(1_000);
  });

  it('stops a string that doubles until V8 refuses it', async () => {
    expect(await failureOf('let s = "x";\nwhile (true) s += s;')).toMatchObject({ reason: 'memory' });
  });
});

describe('output', () => {
  it('cuts 50 MB of console output at the limit and says so', async () => {
    const result = await run(
      'for (let i = 0; i < 50_000; i++) console.log("x".repeat(1_000));\nreturn "still here"',
    );
    expect(result.value).toBe('still here');
    expect(result.logsTruncated).toBe(true);
    const bytes = result.logs.reduce((sum, log) => sum + Buffer.byteLength(log.text), 0);
    expect(bytes).toBeLessThanOrEqual(MAX_OUTPUT_BYTES);
    expect(bytes).toBeGreaterThan(MAX_OUTPUT_BYTES - 1_000);
  });

  it('cuts one 50 MB log line at the limit', async () => {
    const result = await run('console.log("é".repeat(25_000_000)); 1');
    expect(result.logsTruncated).toBe(true);
    expect(Buffer.byteLength(result.logs[0]!.text)).toBeLessThanOrEqual(MAX_OUTPUT_BYTES);
  });

  it('stops code that writes 50 MB to stdout itself, without buffering it', async () => {
    const code =
      'const chunk = new TextEncoder().encode("y".repeat(1_000_000));\nfor (let i = 0; i < 50; i++) Deno.stdout.writeSync(chunk);';
    expect(await failureOf(code)).toMatchObject({
      reason: 'protocol',
      message: expect.stringContaining('"yyyy'),
    });
  });
});

describe('results', () => {
  it('refuses a cyclic value, naming where the cycle is', async () => {
    expect(await failureOf('const a = { list: [] };\na.list.push({ parent: a });\nreturn a')).toMatchObject({
      reason: 'result',
      message: expect.stringContaining('value.list[0].parent refers back to value (a circular reference)'),
    });
  });

  it.each([
    ['a BigInt', 'return { n: 10n }', 'value.n is a BigInt'],
    ['a function', 'return { f() {} }', 'value.f is a function'],
    ['a Map', 'return new Map([[1, 2]])', 'value is a Map'],
  ])('refuses %s with what to return instead', async (_name, code, expected) => {
    expect(await failureOf(code)).toMatchObject({
      reason: 'result',
      message: expect.stringContaining(expected),
    });
  });

  it('refuses a huge value with its size and the limit', async () => {
    expect(
      await failureOf('return Array.from({ length: 100_000 }, (_, i) => ({ i, text: "row " + i }))'),
    ).toMatchObject({
      reason: 'result',
      message: expect.stringContaining('over the 256 KiB limit'),
    });
  });

  it('counts the limit in bytes, not characters', async () => {
    expect(await failureOf(`return "é".repeat(${MAX_RESULT_BYTES / 2 + 1_000})`)).toMatchObject({
      reason: 'result',
      message: expect.stringMatching(/returned \d+ KiB of JSON, over the 256 KiB limit/),
    });
  });
});

describe('errors', () => {
  it('reports a syntax error with its line and column', async () => {
    const failure = await failureOf('const ok = 1;\nconst broken = ;');
    expect(failure).toMatchObject({ reason: 'syntax' });
    expect(failure.message).toContain('line 2, column 16: Expression expected');
    expect(failure.message).toContain('  const broken = ;\n                 ^');
  });

  it('reports a TypeScript syntax error and one past the end of the code', async () => {
    expect((await failureOf('const x: = 1')).message).toContain('line 1, column 10');
    expect((await failureOf('foo(')).message).toContain('at the end of the code');
  });

  it.each([
    ['a number', 'throw 42', 'threw 42, which is not an Error'],
    ['an object', 'throw { a: 1 }', 'threw { a: 1 }, which is not an Error'],
    ['a string', 'throw "plain words"', 'threw plain words, which is not an Error'],
    ['null', 'throw null', 'threw null, which is not an Error'],
  ])('reports a thrown non-Error readably: %s', async (_name, code, expected) => {
    expect(await failureOf(code)).toMatchObject({
      reason: 'thrown',
      message: expect.stringContaining(expected),
    });
  });

  it('reports where a thrown Error came from', async () => {
    expect(await failureOf('const x = 1;\n  throw new TypeError("bad input")')).toMatchObject({
      message: expect.stringContaining('threw TypeError: bad input (line 2, column 9)'),
    });
  });

  it('reports a promise rejection nobody handled, even after the code returned', async () => {
    expect(await failureOf('Promise.reject(new Error("forgotten"));\nreturn 1')).toMatchObject({
      reason: 'thrown',
      message: expect.stringContaining(
        'rejected and nothing handled it: Error: forgotten (line 1, column 16)',
      ),
    });
    expect(await failureOf('(async () => { throw 7 })();\nreturn 1')).toMatchObject({
      message: expect.stringContaining('nothing handled it: 7'),
    });
  });

  it('reports an exception thrown in a timer', async () => {
    const code =
      'setTimeout(() => { throw new Error("late") });\nawait new Promise((resolve) => setTimeout(resolve, 50));';
    expect(await failureOf(code)).toMatchObject({
      reason: 'thrown',
      message: expect.stringContaining('threw Error: late in a callback'),
    });
  });

  it('reports Deno.exit as the code ending the sandbox', async () => {
    expect(await failureOf('Deno.exit(3)')).toMatchObject({
      reason: 'crashed',
      message: expect.stringContaining('Deno.exit(3)'),
    });
  });
});

describe('tool calls', () => {
  it('refuses calls past the limit inside the code: 10,000 calls reach callTool 100 times', async () => {
    let calls = 0;
    const counting: CodeRunRequest['callTool'] = async () => (calls += 1);
    const failure = await failureOf('for (let i = 0; i < 10_000; i++) await tools.t.count({ i });', {
      callTool: counting,
    });
    expect(failure).toMatchObject({
      reason: 'tool_calls',
      message: expect.stringContaining(`went past the limit of ${MAX_TOOL_CALLS} tool calls`),
      data: { toolCalls: MAX_TOOL_CALLS, codePreview: expect.stringContaining('for (let i = 0') },
    });
    expect(calls).toBe(MAX_TOOL_CALLS);
  });

  it('lets code that catches the refusals finish, counting only the calls made', async () => {
    let calls = 0;
    const counting: CodeRunRequest['callTool'] = async () => (calls += 1);
    const code =
      'const settled = await Promise.allSettled(Array.from({ length: 10_000 }, (_, i) => tools.t.count({ i })));\nsettled.filter((s) => s.status === "rejected").length';
    const result = await run(code, { callTool: counting });
    expect(result.value).toBe(10_000 - MAX_TOOL_CALLS);
    expect(result.toolCalls).toBe(MAX_TOOL_CALLS);
    expect(calls).toBe(MAX_TOOL_CALLS);
  });

  it('refuses calls past the limit even when the code posts them to the main thread itself', async () => {
    let calls = 0;
    const counting: CodeRunRequest['callTool'] = async () => (calls += 1);
    const code =
      'for (let i = 1; i <= 500; i++) self.postMessage({ t: "call", id: 1e6 + i, server: "t", tool: "x", args: "{}" });\nawait new Promise((resolve) => setTimeout(resolve, 100));\nreturn "posted"';
    const result = await run(code, { callTool: counting });
    expect(result.toolCalls).toBe(MAX_TOOL_CALLS);
    expect(calls).toBe(MAX_TOOL_CALLS);
  });
});

describe('the channel to the host', () => {
  it('is not fooled by a forged result line on stdout', async () => {
    const code =
      'Deno.stdout.writeSync(new TextEncoder().encode(JSON.stringify({ t: "done", json: "\\"forged\\"" }) + "\\n"));\nawait new Promise((resolve) => setTimeout(resolve, 1000));\nreturn "real"';
    expect(await failureOf(code)).toMatchObject({
      reason: 'protocol',
      message: expect.stringContaining('stdout directly'),
    });
  });

  it('is not fooled by a line that imitates the frame format with a guessed token', async () => {
    const body = JSON.stringify({ t: 'done', json: '"forged"' });
    const forged = `${'0'.repeat(32)} ${Buffer.byteLength(body)} ${body}\n`;
    const code = `(await import("node:process")).default.stdout.write(${JSON.stringify(forged)});\nawait new Promise((resolve) => setTimeout(resolve, 1000));`;
    expect(await failureOf(code)).toMatchObject({ reason: 'protocol' });
  });

  it('keeps working when the code closes its stdout or stdin', async () => {
    const code =
      'Deno.stdout.close();\nDeno.stdin.close();\n(await import("node:fs")).closeSync(1);\nconsole.log("after closing");\nawait tools.t.echo({ still: "works" })';
    const result = await run(code);
    expect(result.value).toEqual({ still: 'works' });
    expect(result.logs).toEqual([{ level: 'log', text: 'after closing' }]);
  });

  it('reports its value when the code patches JSON, console, Promise, postMessage and prototypes', async () => {
    const code = [
      'const answer = await tools.t.echo({ n: 41 });',
      'JSON.stringify = () => "\\"forged\\"";',
      'JSON.parse = () => "forged";',
      'globalThis.Promise = function () { throw new Error("no promises") };',
      'self.postMessage = () => {};',
      'Object.prototype.toJSON = undefined;',
      'Array.prototype.push = () => 0;',
      'console.log = () => {};',
      '({ answer: answer.n + 1, label: "real" })',
    ].join('\n');
    expect((await run(code)).value).toEqual({ answer: 42, label: 'real' });
  });

  it('ends the run clearly when the code posts a value that is not JSON to the main thread', async () => {
    expect(
      await failureOf('self.postMessage({ t: "done", json: "{not json" });\nawait new Promise(() => {});'),
    ).toMatchObject({
      reason: 'protocol',
      message: expect.stringContaining('not valid JSON'),
    });
  });
});

describe('state between runs', () => {
  it('leaves nothing for the next run: globals, prototypes, the Cache API, the process', async () => {
    const first = await run(
      'globalThis.leak = "secret";\nArray.prototype.leak = 1;\nlet cached = "none";\ntry { await (await caches.open("c")).put("http://x/", new Response("kept")) } catch (e) { cached = e.message }\n({ pid: Deno.pid, cached })',
    );
    const second = await run(
      'let cached = null;\ntry { const match = await (await caches.open("c")).match("http://x/"); cached = match ? await match.text() : null } catch { cached = "unavailable" }\n({ pid: Deno.pid, leak: typeof globalThis.leak, proto: typeof [].leak, cached })',
    );
    const firstValue = first.value as { pid: number; cached: string };
    expect(firstValue.cached).toContain('Failed to create cache storage directory');
    expect(second.value).toEqual({
      pid: expect.any(Number),
      leak: 'undefined',
      proto: 'undefined',
      cached: 'unavailable',
    });
    expect((second.value as { pid: number }).pid).not.toBe(firstValue.pid);
  });
});
