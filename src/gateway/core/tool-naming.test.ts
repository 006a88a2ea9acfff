import { describe, expect, it } from 'vitest';
import type { PrefixMode } from '../../config/index.js';
import { buildExposedNames } from './tool-naming.js';

const items = [
  { serverId: 'fs', name: 'read' },
  { serverId: 'git', name: 'read' },
  { serverId: 'git', name: 'log' },
  { serverId: 'web', name: 'fetch/url' },
];
const names = (mode: PrefixMode) => [...buildExposedNames(items, () => mode).keys()];

describe('buildExposedNames', () => {
  it('prefixes every tool in always mode', () => {
    expect(names('always')).toEqual(['fs__read', 'git__read', 'git__log', 'web__fetch_url']);
  });

  it('prefixes only colliding names in on-collision mode', () => {
    expect(names('on-collision')).toEqual(['fs__read', 'git__read', 'log', 'fetch_url']);
  });

  it('still prefixes a collision in never mode rather than hide a tool', () => {
    expect(names('never')).toEqual(['fs__read', 'git__read', 'log', 'fetch_url']);
  });

  it('honours a per-server mode', () => {
    const exposed = buildExposedNames(items, (serverId) => (serverId === 'git' ? 'never' : 'always'));
    expect([...exposed.keys()]).toEqual(['fs__read', 'git__read', 'log', 'web__fetch_url']);
  });
});

describe('buildExposedNames with names servers should not have chosen', () => {
  const exposedNames = (list: { serverId: string; name: string }[], mode: PrefixMode = 'always') => [
    ...buildExposedNames(list, () => mode).keys(),
  ];

  it('exposes a name a server lists twice once, and reports the repeat', () => {
    const problems: unknown[] = [];
    const list = [
      { serverId: 'dup', name: 'echo' },
      { serverId: 'dup', name: 'echo' },
      { serverId: 'other', name: 'echo' },
    ];
    const exposed = buildExposedNames(
      list,
      () => 'always',
      (problem) => problems.push(problem),
    );
    expect([...exposed.keys()]).toEqual(['dup__echo', 'other__echo']);
    expect(exposed.get('dup__echo')).toBe(list[0]);
    expect(problems).toEqual([{ serverId: 'dup', name: 'echo', kind: 'duplicate' }]);
  });

  it('lets a valid name keep itself and gives the cleaned one a suffix under the same prefix', () => {
    expect(
      exposedNames([
        { serverId: 'odd', name: 'read file' },
        { serverId: 'odd', name: 'read_file' },
        { serverId: 'odd', name: 'files.read' },
        { serverId: 'odd', name: 'read/file' },
      ]),
    ).toEqual(['odd__read_file_2', 'odd__read_file', 'odd__files.read', 'odd__read_file_3']);
  });

  it("keeps an exposed name unique when a bare name equals another server's prefixed one", () => {
    const exposed = buildExposedNames(
      [
        { serverId: 'a', name: 'b__x' },
        { serverId: 'b', name: 'x' },
      ],
      (serverId) => (serverId === 'a' ? 'never' : 'always'),
    );
    expect([...exposed.keys()]).toEqual(['b__x', 'b__x_2']);
  });

  it('shortens long names to 128 characters and keeps two of them distinct', () => {
    const long = 'x'.repeat(200);
    const names = exposedNames([
      { serverId: 'odd', name: `${long}a` },
      { serverId: 'odd', name: `${long}b` },
    ]);
    expect(names.every((name) => name.length <= 128 && /^[A-Za-z0-9_.-]+$/.test(name))).toBe(true);
    expect(new Set(names).size).toBe(2);
    expect(names[0]!.startsWith('odd__xxx')).toBe(true);
  });
});
