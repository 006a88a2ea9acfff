import { describe, expect, it } from 'vitest';
import { findContextProblems } from './validate-context.js';

describe('findContextProblems', () => {
  it('accepts identifiers with JSON values', () => {
    expect(findContextProblems({ rows: [1, 2], $limit: 3, _name: 'x', nested: { a: null } })).toEqual([]);
  });

  it('rejects keys that are not identifiers, naming them', () => {
    const problems = findContextProblems({ 'my-key': 1, '2nd': 2, 'a b': 3, '': 4 });
    expect(problems).toHaveLength(4);
    expect(problems[0]).toContain('"my-key" is not a plain identifier');
  });

  it('rejects reserved words and the names the sandbox binds itself', () => {
    expect(findContextProblems({ class: 1 })).toEqual([
      'context key "class" is a reserved word in JavaScript',
    ]);
    expect(findContextProblems({ await: 1, eval: 2 })).toHaveLength(2);
    expect(findContextProblems({ tools: 1 })).toEqual([
      'context key "tools" is a name the sandbox uses itself',
    ]);
  });

  it('rejects values that are not JSON', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(findContextProblems({ cyclic })[0]).toMatch(/^context\.cyclic is not JSON/);
    expect(findContextProblems({ big: 1n })[0]).toMatch(/^context\.big is not JSON/);
    expect(findContextProblems({ fn: () => 1 })).toEqual(['context.fn is not a JSON value']);
  });
});
