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
