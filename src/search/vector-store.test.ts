import { describe, expect, it } from 'vitest';
import { VectorSearchError } from '../errors/index.js';
import { createVectorStore, dot, toUnitVector } from './vector-store.js';

describe('createVectorStore', () => {
  it('scans every stored vector with a dot product, NaN where none is stored', () => {
    const store = createVectorStore(3);
    store.set(0, Float32Array.from([1, 0]));
    store.set(2, Float32Array.from([0.6, 0.8]));
    const scores = [...store.scan(Float32Array.from([0, 1]))];
    expect(scores[0]).toBe(0);
    expect(scores[1]).toBeNaN();
    expect(scores[2]).toBeCloseTo(0.8);
    expect(store.filled).toBe(2);
  });

  it('counts a position once when its vector is replaced', () => {
    const store = createVectorStore(1);
    store.set(0, Float32Array.from([1, 0]));
    store.set(0, Float32Array.from([0, 1]));
    expect(store.filled).toBe(1);
    expect([...store.get(0)!]).toEqual([0, 1]);
  });

  it('refuses a vector whose dimension differs from the first', () => {
    const store = createVectorStore(2);
    store.set(0, Float32Array.from([1, 0]));
    expect(() => store.set(1, Float32Array.from([1, 0, 0]))).toThrow(VectorSearchError);
  });
});

describe('toUnitVector', () => {
  it('scales to length 1 and leaves a zero vector alone', () => {
    const unit = toUnitVector([3, 4]);
    expect(dot(unit, unit)).toBeCloseTo(1);
    expect([...toUnitVector([0, 0])]).toEqual([0, 0]);
  });
});
