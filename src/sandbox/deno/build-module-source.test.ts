import { describe, expect, it } from 'vitest';
import { WRAPPER_LINES_ABOVE, buildModuleSources, toTypeScriptDataUrl } from './build-module-source.js';

describe('buildModuleSources', () => {
  it('binds tools and the context names as consts of the wrapper', () => {
    const [source] = buildModuleSources('return a + b', ['a', 'b']).sources;
    expect(source!.split('\n')[0]).toContain('const { tools, a, b } = __pmlScope;');
  });

  it('keeps the code as written below the wrapper line, so positions move one line only', () => {
    const code = 'const x = 1;\nreturn x';
    const { sources } = buildModuleSources(code, []);
    expect(sources).toHaveLength(1);
    expect(
      sources[0]!
        .split('\n')
        .slice(WRAPPER_LINES_ABOVE, WRAPPER_LINES_ABOVE + 2)
        .join('\n'),
    ).toBe(code);
  });

  it('returns the last expression in a first candidate, and keeps the code as written last', () => {
    const { sources } = buildModuleSources('const x = [1]\nx.length', []);
    expect(sources).toHaveLength(2);
    expect(sources[0]).toContain('const x = [1];return (\nx.length\n)');
    expect(sources[1]).toContain('const x = [1]\nx.length');
  });

  it('keeps the line and column of the returned expression', () => {
    const code = 'const x = [1]\n  x.length';
    const [returning] = buildModuleSources(code, []).sources;
    const moduleLine = returning!.split('\n')[WRAPPER_LINES_ABOVE + 1];
    expect(moduleLine).toBe('  x.length');
  });

  it('opens the return on the wrapper line when the expression is the first statement', () => {
    const [returning] = buildModuleSources('1 + 1', []).sources;
    expect(returning!.split('\n').slice(0, 3)).toEqual([expect.stringMatching(/ return \($/), '1 + 1', ')']);
  });

  it('encodes the module as a base64 TypeScript data: URL, whatever its characters', () => {
    const url = toTypeScriptDataUrl('const s = "é€😀"');
    expect(url.startsWith('data:application/typescript;base64,')).toBe(true);
    expect(Buffer.from(url.split(',')[1]!, 'base64').toString('utf8')).toBe('const s = "é€😀"');
  });
});
