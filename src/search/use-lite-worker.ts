// The worker thread USE-lite runs in when pml runs from its build: a batch of 16 texts holds the
// thread for ~250 ms, which on the main thread would hold every proxied call back that long.
import { parentPort } from 'node:worker_threads';
import { embedBatch, loadUseLiteModel, type UseLiteModel } from './use-lite-model.js';

export interface EmbedRequest {
  id: number;
  texts: string[];
}

export type EmbedResponse =
  { id: number; vectors: Float32Array[]; loadedMs?: number } | { id: number; error: string };

// Nothing reads this thread's stdout and stderr (see use-lite-embedder.ts): the model's libraries
// stay silent, and failures travel back as messages.
// eslint-disable-next-line no-console -- silencing the console is the point here
for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) console[level] = () => {};

let loading: Promise<UseLiteModel> | undefined;

parentPort?.on('message', (request: EmbedRequest) => {
  void (async () => {
    const firstLoad = loading === undefined;
    const started = Date.now();
    try {
      loading ??= loadUseLiteModel();
      const model = await loading;
      const loadedMs = firstLoad ? Date.now() - started : undefined;
      const vectors = await embedBatch(model, request.texts);
      const response: EmbedResponse = {
        id: request.id,
        vectors,
        ...(loadedMs !== undefined ? { loadedMs } : {}),
      };
      parentPort!.postMessage(
        response,
        vectors.map((vector) => vector.buffer as ArrayBuffer),
      );
    } catch (error) {
      if (firstLoad) loading = undefined; // a later request may try the load again
      parentPort!.postMessage({
        id: request.id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  })();
});
