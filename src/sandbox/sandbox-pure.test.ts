import { describe, expect, it } from 'vitest';
import { ResultCache, toCacheKey } from './result-cache.js';
import { buildToolDeclarations, DECLARATIONS_BUDGET_CHARS, toType } from './tool-declarations.js';
import { buildAllowList, isReadOnly, needsApproval } from './tool-policy.js';

describe('toType', () => {
  it('turns a JSON Schema into a TypeScript type', () => {
    expect(
      toType({
        type: 'object',
        properties: {
          path: { type: 'string' },
          depth: { type: 'integer' },
          mode: { enum: ['fast', 'full'] },
          tags: { type: 'array', items: { type: 'string' } },
          'x-extra': { anyOf: [{ type: 'number' }, { type: 'null' }] },
        },
        required: ['path'],
      }),
    ).toBe(
      '{ path: string; depth?: number; mode?: "fast" | "full"; tags?: string[]; "x-extra"?: number | null }',
    );
  });

  it('says unknown for what it cannot express and stops at a depth', () => {
    expect(toType({ $ref: '#/defs/a' })).toBe('unknown');
    const deep = {
      type: 'object',
      properties: {
        a: {
          type: 'object',
          properties: {
            b: {
              type: 'object',
              properties: {
                c: {
                  type: 'object',
                  properties: { d: { type: 'object', properties: { e: { type: 'string' } } } },
                },
              },
            },
          },
        },
      },
    };
    expect(toType(deep)).toContain('e?: unknown');
  });
});

describe('buildToolDeclarations', () => {
  const tool = (serverId: string, name: string, description?: string) => ({
    serverId,
    name,
    description,
    inputSchema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
  });

  it('declares tools.<server>.<tool> with the first sentence of each description', () => {
    const text = buildToolDeclarations([
      tool('memory', 'search_nodes', 'Search for nodes. Matches names and types.'),
      tool('my-fs', 'read'),
    ]);
    expect(text).toContain('declare const tools: {');
    expect(text).toContain(
      '  memory: {\n    /** Search for nodes. */\n    search_nodes(args: { q: string }): Promise<any>;',
    );
    expect(text).toContain('  "my-fs": {\n    read(args: { q: string }): Promise<any>;');
  });

  it('lists only server and tool names past its budget, with the way to ask for declarations', () => {
    const many = Array.from({ length: 200 }, (_, index) =>
      tool(`s${index % 5}`, `tool_${index}`, 'Does one thing well.'),
    );
    const text = buildToolDeclarations(many);
    expect(text.length).toBeLessThan(DECLARATIONS_BUDGET_CHARS);
    expect(text).toContain('await tools.call("describe_tools", { server: "<server>" })');
    expect(text).toContain('//   s0: tool_0, tool_5,');
  });
});

describe('tool policy', () => {
  it('matches exposed names against patterns with *', () => {
    const allowed = buildAllowList(['memory__*', 'filesystem__read_text_file']);
    expect([
      allowed('memory__read_graph'),
      allowed('filesystem__read_text_file'),
      allowed('filesystem__write_file'),
      allowed('memoryX'),
    ]).toEqual([true, true, false, false]);
  });

  it('asks for writes: destructive tools and tools that do not say they only read', () => {
    expect(needsApproval('writes', { readOnlyHint: true })).toBe(false);
    expect(needsApproval('writes', { readOnlyHint: true, destructiveHint: true })).toBe(true);
    expect(needsApproval('writes', undefined)).toBe(true);
    expect(needsApproval('never', { destructiveHint: true })).toBe(false);
    expect(needsApproval('always', { readOnlyHint: true })).toBe(true);
    expect([isReadOnly({ readOnlyHint: true }), isReadOnly({})]).toEqual([true, false]);
  });
});

describe('ResultCache', () => {
  it('keys by code, context (in any key order) and the tools fingerprint', () => {
    const key = toCacheKey('return 1', { a: 1, b: [2] }, 'v1');
    expect(toCacheKey('return 1', { b: [2], a: 1 }, 'v1')).toBe(key);
    expect(toCacheKey('return 1', { a: 1, b: [2] }, 'v2')).not.toBe(key);
    expect(toCacheKey('return 2', { a: 1, b: [2] }, 'v1')).not.toBe(key);
  });

  it('drops the least recently used past its size, and entries past their age', () => {
    let now = 0;
    const cache = new ResultCache<number>(2, 1_000, () => now);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
    now = 1_001;
    expect(cache.get('a')).toBeUndefined();
  });
});
