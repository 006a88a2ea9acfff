import { describe, expect, it } from 'vitest';
import { findCycle, planLayers } from './plan-layers.js';

const node = (id: string, ...dependsOn: string[]) => ({ id, dependsOn });

describe('planLayers', () => {
  it('puts each task one layer below its deepest dependency', () => {
    const layers = planLayers([
      node('d', 'b', 'c'),
      node('a'),
      node('b', 'a'),
      node('c', 'a'),
      node('e', 'a', 'd'),
    ]);
    expect(layers).toEqual([['a'], ['b', 'c'], ['d'], ['e']]);
  });

  it('plans a 1,000-deep chain without recursion', () => {
    const chain = Array.from({ length: 1000 }, (_, index) =>
      node(`t${index}`, ...(index > 0 ? [`t${index - 1}`] : [])),
    );
    expect(planLayers(chain)).toHaveLength(1000);
  });
});

describe('findCycle', () => {
  it('names the tasks of a cycle in order', () => {
    expect(findCycle([node('a', 'c'), node('b', 'a'), node('c', 'b'), node('x')])).toEqual([
      'a',
      'c',
      'b',
      'a',
    ]);
  });

  it('finds none in a diamond', () => {
    expect(findCycle([node('a'), node('b', 'a'), node('c', 'a'), node('d', 'b', 'c')])).toBeUndefined();
  });
});
