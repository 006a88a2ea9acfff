// The built USE-lite embedder runs the model in a worker thread: same vectors as on the calling
// thread, and the event loop keeps turning while it embeds (on the calling thread a batch holds
// it for the whole model call). Counts loop turns, not time.
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths.js';

type Embedder = { embed(texts: string[]): Promise<Float32Array[]> };
type SearchModule = { createUseLiteEmbedder(options?: { thread?: 'worker' | 'main' }): Embedder };
const { createUseLiteEmbedder } = (await import(`${ROOT}/dist/search/index.js`)) as SearchModule;

const texts = Array.from({ length: 48 }, (_, index) => `read the file number ${index} and list its lines`);

/** The vectors, and how many times the event loop turned while they were computed. */
async function embedCountingTurns(embedder: Embedder) {
  let turns = 0;
  let running = true;
  const spin = () => {
    turns++;
    if (running) setImmediate(spin);
  };
  await embedder.embed(['warm up the model']);
  setImmediate(spin);
  const vectors = await embedder.embed(texts);
  running = false;
  return { vectors, turns };
}

describe('the USE-lite embedder from the build', () => {
  it('embeds in a worker thread, leaving the event loop free, with the same vectors', async () => {
    const worker = await embedCountingTurns(createUseLiteEmbedder());
    const main = await embedCountingTurns(createUseLiteEmbedder({ thread: 'main' }));

    expect(worker.vectors).toHaveLength(texts.length);
    worker.vectors.forEach((vector, index) => {
      const other = main.vectors[index]!;
      const cosine = vector.reduce((sum, value, i) => sum + value * other[i]!, 0);
      expect(cosine).toBeGreaterThan(0.999);
    });
    expect(worker.turns).toBeGreaterThan(main.turns * 5);
  });
});
