import { describe, expect, it } from 'vitest';
import { findLastExpression } from './find-last-expression.js';

/** The last expression's text, or undefined when the code does not end with one. */
function lastExpressionOf(code: string): string | undefined {
  const found = findLastExpression(code);
  return found ? code.slice(found.start, found.end) : undefined;
}

describe('findLastExpression', () => {
  it('finds an expression on the last line after a line break', () => {
    expect(lastExpressionOf('const x = await tools.a.b({})\nx.length')).toBe('x.length');
  });

  it('leaves out the semicolon and the comments after the expression', () => {
    expect(lastExpressionOf('const x = 1;\nx + 1; // the answer\n')).toBe('x + 1');
  });

  it('finds an expression that is the whole code', () => {
    expect(findLastExpression('  1 + 2')).toEqual({ headEnd: 0, start: 2, end: 7 });
  });

  it('finds the expression after a semicolon on the same line', () => {
    expect(lastExpressionOf('const a = 1; a * 2')).toBe('a * 2');
  });

  it('keeps a multi-line call together', () => {
    expect(lastExpressionOf('const a = [1, 2]\nawait Promise.all(\n  a.map((n) => n * 2),\n)')).toBe(
      'await Promise.all(\n  a.map((n) => n * 2),\n)',
    );
  });

  it('keeps a method chain that continues on the next lines', () => {
    expect(lastExpressionOf('const rows = []\nrows\n  .filter(Boolean)\n  .map(String)')).toBe(
      'rows\n  .filter(Boolean)\n  .map(String)',
    );
  });

  it('does not split a line that ends with an operator', () => {
    expect(lastExpressionOf('const a = 1\na +\n  2')).toBe('a +\n  2');
  });

  it('does not split before a line that starts with a bracket (JavaScript does not either)', () => {
    expect(lastExpressionOf('foo\n(bar)')).toBe('foo\n(bar)');
  });

  it('does not take the body of an if or a loop for a statement of its own', () => {
    expect(lastExpressionOf('if (ready)\n  go()')).toBeUndefined();
    expect(lastExpressionOf('for (const n of list)\n  total += n')).toBeUndefined();
    expect(lastExpressionOf('for await (const n of list)\n  total += n')).toBeUndefined();
  });

  it('finds nothing when the code ends with a declaration or a statement', () => {
    expect(lastExpressionOf('const x = 1')).toBeUndefined();
    expect(lastExpressionOf('let y')).toBeUndefined();
    expect(lastExpressionOf('function f() { return 1 }')).toBeUndefined();
    expect(lastExpressionOf('async function f() {}')).toBeUndefined();
    expect(lastExpressionOf('if (a) { b() } else { c() }')).toBeUndefined();
    expect(lastExpressionOf('return 5')).toBeUndefined();
    expect(lastExpressionOf('throw new Error("x")')).toBeUndefined();
    expect(lastExpressionOf('interface Row { id: number }')).toBeUndefined();
    expect(lastExpressionOf('type Row = { id: number }')).toBeUndefined();
    expect(lastExpressionOf('outer: for (;;) break outer')).toBeUndefined();
    expect(lastExpressionOf('')).toBeUndefined();
    expect(lastExpressionOf(';')).toBeUndefined();
  });

  it('starts a new statement after the block of an if, a try or a declaration', () => {
    expect(lastExpressionOf('try { a() } catch (e) { b() }\n({ done: true })')).toBe('({ done: true })');
    expect(lastExpressionOf('if (x) { y() } else { z() } result')).toBe('result');
    expect(lastExpressionOf('function f() { return 1 }\n(f())')).toBe('(f())');
    expect(lastExpressionOf('for (const n of list) { total += n }\n[total]')).toBe('[total]');
    expect(lastExpressionOf('{ const inner = 1 }\nouter')).toBe('outer');
  });

  it('keeps an object literal or an arrow body with what follows it', () => {
    expect(lastExpressionOf('const o = {}\n(o)')).toBeUndefined();
    expect(lastExpressionOf('const f = () => {}\n(f)')).toBeUndefined();
    expect(lastExpressionOf('try { a() }\ncatch { b() }')).toBeUndefined();
  });

  it('takes a name that only looks like a TypeScript keyword for an expression', () => {
    expect(lastExpressionOf('const type = 1\ntype')).toBe('type');
  });

  it('reads strings, templates, regular expressions and comments without being misled', () => {
    expect(lastExpressionOf('const s = "a;\\"b"\ns')).toBe('s');
    expect(lastExpressionOf('const t = `x ${1 + `y;`}\n z`\nt.length')).toBe('t.length');
    expect(lastExpressionOf('const r = /[;}]/g\n"a;b".split(r)')).toBe('"a;b".split(r)');
    expect(lastExpressionOf('const n = 4 / 2 / 1\nn')).toBe('n');
    expect(lastExpressionOf('/* a; b\n*/ x')).toBe('x');
  });

  it('reads TypeScript: annotations, generics, arrow functions and type assertions', () => {
    const code =
      'const m = new Map<string, number>()\nconst f = (a: number): number =>\n  a * 2\nf(m.size) as number';
    expect(lastExpressionOf(code)).toBe('f(m.size) as number');
  });

  it('takes an object literal on the last line for a value, as a REPL does', () => {
    expect(lastExpressionOf('const a = 1;\n({ a })')).toBe('({ a })');
    expect(lastExpressionOf('const a = 1;\n{ a }')).toBe('{ a }');
  });

  it('reads a line starting with a bracket as JavaScript does: a call of the line before', () => {
    expect(lastExpressionOf('const a = 1\n({ a })')).toBeUndefined();
  });

  it('gives up on code whose brackets or literals do not close', () => {
    expect(findLastExpression('foo(')).toBeUndefined();
    expect(findLastExpression('const s = "abc')).toBeUndefined();
    expect(findLastExpression('x }')).toBeUndefined();
  });
});
