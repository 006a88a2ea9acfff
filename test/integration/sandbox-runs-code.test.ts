// The Deno code runner against the real Deno binary: what agent code gets (values, logs, context,
// tools) and what comes back. callTool answers from a small table: the edge of the runner's unit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeRunRequest, ToolCallRequest } from '../../src/sandbox/code-runner.js';
import { createDenoCodeRunner, type DenoCodeRunner } from '../../src/sandbox/deno/index.js';

const TIMEOUT_MS = 15_000;
let runner: DenoCodeRunner;

beforeAll(async () => {
  runner = createDenoCodeRunner({ poolSize: 2 });
  await runner.start();
});
afterAll(() => runner.close());

const TOOL_TABLE: Record<string, (args: Record<string, unknown>) => unknown> = {
  'math.add': (args) => (args.a as number) + (args.b as number),
  'fs.list': () => ['a.txt', 'b.txt', 'c.md'],
  'fs.fail': () => {
    throw new Error('ENOENT: no such file "missing.txt"');
  },
  'fs.nothing': () => undefined,
  memory__read_graph: () => ({ entities: [{ name: 'pml' }] }),
};

function answerFromTable(calls: ToolCallRequest[] = []): CodeRunRequest['callTool'] {
  return async (request) => {
    calls.push(request);
    const key = request.name ?? `${request.server}.${request.tool}`;
    const tool = TOOL_TABLE[key];
    if (!tool) throw new Error(`unknown tool ${key}`);
    return tool(request.args);
  };
}

const run = (code: string, extra: Partial<CodeRunRequest> = {}) =>
  runner.run({ code, timeoutMs: TIMEOUT_MS, callTool: answerFromTable(), ...extra });

describe('the Deno code runner', () => {
  it('returns what the code returns', async () => {
    const result = await run('return { answer: 42, list: [1, "two", null], nested: { ok: true } }');
    expect(result.value).toEqual({ answer: 42, list: [1, 'two', null], nested: { ok: true } });
    expect(result.toolCalls).toBe(0);
    expect(result.durationMs).toBeGreaterThan(0);
  });

  it('returns the value of the last expression statement when the code does not return', async () => {
    const result = await run(
      'const files = await tools.fs.list({})\nfiles.filter((f) => f.endsWith(".txt")).length',
    );
    expect(result.value).toBe(2);
  });

  it('returns the last expression even after a return that did not run', async () => {
    expect((await run('if (false) return "early"\n"late"')).value).toBe('late');
    expect((await run('if (true) return "early"\n"late"')).value).toBe('early');
  });

  it('returns undefined when the code ends with a statement', async () => {
    expect((await run('const x = 1')).value).toBeUndefined();
    expect((await run('console.log("only a log")')).value).toBeUndefined();
  });

  it('runs TypeScript: interfaces, type aliases, annotations, generics, enums and assertions', async () => {
    const code = [
      'interface Row { id: number; name: string }',
      'type Rows = Row[];',
      'enum Kind { A = "a", B = "b" }',
      'function first<T>(items: T[]): T | undefined { return items[0]; }',
      'const rows: Rows = [{ id: 1, name: "x" }];',
      'const row = first(rows)!;',
      '({ id: row.id, kind: Kind.B, name: (row.name as string).toUpperCase() })',
    ].join('\n');
    expect((await run(code)).value).toEqual({ id: 1, kind: 'b', name: 'X' });
  });

  it('runs plain JavaScript with top-level await', async () => {
    const code =
      'const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));\nawait wait(1);\n[1, 2, 3].map((n) => n * 2)';
    expect((await run(code)).value).toEqual([2, 4, 6]);
  });

  it('keeps characters outside ASCII intact both ways', async () => {
    const result = await run('console.log("héllo €");\nreturn { text: "é€😀", echo: greeting }', {
      context: { greeting: 'grüß dich 👋' },
    });
    expect(result.value).toEqual({ text: 'é€😀', echo: 'grüß dich 👋' });
    expect(result.logs).toEqual([{ level: 'log', text: 'héllo €' }]);
  });

  it('captures console output apart from the value, with its level', async () => {
    const code = [
      'console.log("plain", 1, { a: [1, 2] });',
      'console.info("info");',
      'console.warn("warn");',
      'console.error("error", new Error("shown"));',
      'console.debug("debug");',
      'return "done"',
    ].join('\n');
    const result = await run(code);
    expect(result.value).toBe('done');
    expect(result.logs.map((log) => log.level)).toEqual(['log', 'info', 'warn', 'error', 'debug']);
    expect(result.logs[0]!.text).toBe('plain 1 { a: [ 1, 2 ] }');
    expect(result.logs[3]!.text).toContain('error Error: shown');
    expect(result.logsTruncated).toBe(false);
  });

  it('gives the context as read-only variables of the same names', async () => {
    const context = { items: [{ price: 2 }, { price: 3 }], taxRate: 0.5, label: 'total' };
    const result = await run(
      'const sum = items.reduce((s, i) => s + i.price, 0);\n({ [label]: sum * (1 + taxRate) })',
      {
        context,
      },
    );
    expect(result.value).toEqual({ total: 7.5 });
    await expect(run('taxRate = 2', { context })).rejects.toMatchObject({
      data: { reason: 'thrown' },
      message: expect.stringContaining('Assignment to constant variable'),
    });
  });

  it('refuses context keys that cannot be variables, naming them', async () => {
    await expect(run('return 1', { context: { 'my-key': 1, class: 2, tools: 3 } })).rejects.toMatchObject({
      name: 'SandboxExecutionError',
      data: { reason: 'context', contextKeys: ['my-key', 'class', 'tools'] },
      message: expect.stringMatching(
        /"my-key" is not a plain identifier.*"class" is a reserved word.*"tools" is a name/,
      ),
    });
  });

  it('calls tools both ways and hands their results back into the code', async () => {
    const calls: ToolCallRequest[] = [];
    const code = [
      'const sum = await tools.math.add({ a: 2, b: 3 });',
      'const graph = await tools.call("memory__read_graph", {});',
      'const none = await tools.fs.nothing();',
      'return { sum, graph, none: none === undefined }',
    ].join('\n');
    const result = await run(code, { callTool: answerFromTable(calls) });
    expect(result.value).toEqual({ sum: 5, graph: { entities: [{ name: 'pml' }] }, none: true });
    expect(result.toolCalls).toBe(3);
    expect(calls).toEqual([
      { server: 'math', tool: 'add', args: { a: 2, b: 3 } },
      { name: 'memory__read_graph', args: {} },
      { server: 'fs', tool: 'nothing', args: {} },
    ]);
  });

  it('reaches tools whose names are not identifiers', async () => {
    const calls: ToolCallRequest[] = [];
    await run('return await tools["my-server"]["read-file"]({ path: "a" }).catch((e) => e.message)', {
      callTool: answerFromTable(calls),
    });
    expect(calls).toEqual([{ server: 'my-server', tool: 'read-file', args: { path: 'a' } }]);
  });

  it('turns a failing tool into an error the code can catch, with the message callTool threw', async () => {
    const code =
      'try { await tools.fs.fail({ path: "missing.txt" }) } catch (error) { return error.message }';
    expect((await run(code)).value).toBe('ENOENT: no such file "missing.txt"');
  });

  it('reports a tool error the code does not catch as a thrown error', async () => {
    await expect(run('await tools.fs.fail({})')).rejects.toMatchObject({
      data: { reason: 'thrown' },
      message: expect.stringContaining('ENOENT: no such file "missing.txt"'),
    });
  });

  it('rejects tool arguments that are not one JSON object, inside the code', async () => {
    const code = [
      'const errors = [];',
      'for (const args of [5, [1], "x"]) { try { await tools.math.add(args) } catch (e) { errors.push(e.message) } }',
      'try { await tools.math.add({ big: 1n }) } catch (e) { errors.push(e.message) }',
      'errors',
    ].join('\n');
    const result = await run(code);
    expect(result.toolCalls).toBe(0);
    expect(result.value).toEqual([
      expect.stringContaining('tools.math.add(args) takes one object of arguments'),
      expect.stringContaining('tools.math.add(args) takes one object of arguments'),
      expect.stringContaining('tools.math.add(args) takes one object of arguments'),
      expect.stringContaining('args.big is a BigInt'),
    ]);
  });

  it('does not take the tools object for a promise', async () => {
    expect((await run('const t = await tools.fs; typeof t.list')).value).toBe('function');
  });

  it('aborts the signal of tool calls still running when the code returns', async () => {
    let seen: AbortSignal | undefined;
    const result = await run('tools.slow.wait({}); return "not waiting"', {
      callTool: (_request, signal) => {
        seen = signal;
        return new Promise(() => {});
      },
    });
    expect(result.value).toBe('not waiting');
    await expect.poll(() => seen?.aborted).toBe(true);
  });

  it('runs several codes at once on the pool, each in its own process', async () => {
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        run(`await tools.math.add({ a: ${n}, b: 0 }); ({ n: ${n}, pid: Deno.pid })`),
      ),
    );
    expect(results.map((result) => (result.value as { n: number }).n)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(results.map((result) => (result.value as { pid: number }).pid)).size).toBe(5);
  });
});
