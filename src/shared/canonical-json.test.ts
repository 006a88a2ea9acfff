import { describe, expect, it } from 'vitest';
import { toCanonicalJson } from './canonical-json.js';

describe('toCanonicalJson', () => {
  it('sorts the keys of every object, at any depth, and keeps array order', () => {
    expect(toCanonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('drops undefined members as JSON does', () => {
    expect(toCanonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });
});
