// The EmbeddingCache port in memory: for tests, the bench, and a gateway running without storage.
import type { EmbeddingCache } from './types.js';

export function createMemoryEmbeddingCache(): EmbeddingCache {
  const byModel = new Map<string, Map<string, Float32Array>>();
  return {
    async get(model, textHashes) {
      const vectors = byModel.get(model);
      const found = new Map<string, Float32Array>();
      if (!vectors) return found;
      for (const hash of textHashes) {
        const vector = vectors.get(hash);
        if (vector) found.set(hash, vector);
      }
      return found;
    },
    async put(model, entries) {
      let vectors = byModel.get(model);
      if (!vectors) byModel.set(model, (vectors = new Map()));
      for (const { textHash, vector } of entries) vectors.set(textHash, vector);
    },
  };
}
