import { describe, expect, it } from 'vitest';
import { createMemoryEmbeddingCache } from './memory-embedding-cache.js';

describe('createMemoryEmbeddingCache', () => {
  it('returns the vectors it was given, by model and text hash, and nothing for unknown hashes', async () => {
    const cache = createMemoryEmbeddingCache();
    await cache.put('use-lite', [{ textHash: 'a', vector: Float32Array.from([1, 0]) }]);
    const found = await cache.get('use-lite', ['a', 'b']);
    expect([...found.keys()]).toEqual(['a']);
    expect([...found.get('a')!]).toEqual([1, 0]);
  });

  it('keeps models apart: a vector of one model is never served for another', async () => {
    const cache = createMemoryEmbeddingCache();
    await cache.put('use-lite', [{ textHash: 'a', vector: Float32Array.from([1]) }]);
    expect((await cache.get('openai:x@h', ['a'])).size).toBe(0);
  });
});
