// The edit distance behind "did you mean": a swap of neighbours is one edit, not two.
import { describe, expect, it } from 'vitest';
import { toEditDistance } from './edit-distance.js';

describe('toEditDistance', () => {
  it.each([
    ['echo', 'echo', 0],
    ['echo', 'echoo', 1],
    ['echo', 'ech', 1],
    ['echo', 'acho', 1],
    ['echo', 'ehco', 1],
    ['read_graph', 'read_grpah', 1],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['ca', 'abc', 3],
  ])('counts %s → %s as %i', (a, b, expected) => {
    expect(toEditDistance(a, b)).toBe(expected);
    expect(toEditDistance(b, a)).toBe(expected);
  });
});
