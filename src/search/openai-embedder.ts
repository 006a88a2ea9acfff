// An Embedder over any OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, Ollama, LM Studio,
// vLLM): texts go in batches, vectors come back unit-normalised, and every failure says what went
// wrong where (unreachable host, HTTP status with the server's words, timeout, malformed answer).
import { VectorSearchError, toErrorMessage } from '../errors/index.js';
import type { Embedder } from './types.js';
import { toUnitVector } from './vector-store.js';

export const OPENAI_EMBED_TIMEOUT_MS = 30_000;
/** Inputs per request: OpenAI takes 2,048, local servers are happier with fewer. */
export const OPENAI_EMBED_BATCH_SIZE = 64;

export interface OpenAiEmbedderOptions {
  /** e.g. `http://localhost:11434` (Ollama) or `https://api.openai.com`; a trailing `/v1` is accepted. */
  baseUrl: string;
  model: string;
  apiKey?: string | undefined;
  /** Per request; default OPENAI_EMBED_TIMEOUT_MS. */
  timeoutMs?: number | undefined;
  batchSize?: number | undefined;
}

export function createOpenAiEmbedder(options: OpenAiEmbedderOptions): Embedder {
  const base = options.baseUrl.replace(/\/+$/, '');
  const url = `${base.endsWith('/v1') ? base : `${base}/v1`}/embeddings`;
  const model = `openai:${options.model}@${toHost(base)}`;
  const timeoutMs = options.timeoutMs ?? OPENAI_EMBED_TIMEOUT_MS;
  const batchSize = Math.max(1, options.batchSize ?? OPENAI_EMBED_BATCH_SIZE);
  const fail = (message: string, cause?: unknown) =>
    new VectorSearchError(
      `embeddings from ${url} (${options.model}): ${message}`,
      { stage: 'embed', model },
      { cause },
    );

  const embedBatch = async (input: string[], signal: AbortSignal | undefined): Promise<Float32Array[]> => {
    const deadline = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        },
        body: JSON.stringify({ model: options.model, input }),
        signal: signal ? AbortSignal.any([signal, deadline]) : deadline,
      });
    } catch (error) {
      if (deadline.aborted) throw fail(`no answer within ${timeoutMs} ms`, error);
      if (signal?.aborted) throw fail('cancelled', error);
      throw fail(
        `cannot reach the server: ${toErrorMessage((error as { cause?: unknown }).cause ?? error)}`,
        error,
      );
    }
    const body = await response.text().catch(() => '');
    if (!response.ok) {
      const hint =
        response.status === 401 || response.status === 403
          ? ' (check the API key)'
          : response.status === 404
            ? ` (is "${options.model}" served there, and is the URL right?)`
            : '';
      throw fail(`HTTP ${response.status}${hint}: ${body.slice(0, 200)}`);
    }
    return parseVectors(body, input.length, fail);
  };

  return {
    model,
    async embed(texts, embedOptions) {
      const vectors: Float32Array[] = [];
      for (let from = 0; from < texts.length; from += batchSize) {
        vectors.push(...(await embedBatch(texts.slice(from, from + batchSize), embedOptions?.signal)));
      }
      return vectors;
    },
  };
}

function parseVectors(body: string, expected: number, fail: (message: string) => Error): Float32Array[] {
  let data: unknown;
  try {
    data = (JSON.parse(body) as { data?: unknown }).data;
  } catch {
    throw fail(`the answer is not JSON: ${body.slice(0, 200)}`);
  }
  if (!Array.isArray(data) || data.length !== expected) {
    throw fail(
      `expected ${expected} embeddings in "data", got ${Array.isArray(data) ? data.length : 'none'}`,
    );
  }
  const ordered = [...(data as { index?: unknown; embedding?: unknown }[])].sort(
    (a, b) => (typeof a.index === 'number' ? a.index : 0) - (typeof b.index === 'number' ? b.index : 0),
  );
  let dimension: number | undefined;
  return ordered.map(({ embedding }) => {
    if (
      !Array.isArray(embedding) ||
      embedding.length === 0 ||
      !embedding.every((value) => Number.isFinite(value))
    ) {
      throw fail('an embedding is not a list of numbers');
    }
    dimension ??= embedding.length;
    if (embedding.length !== dimension)
      throw fail(`embeddings of different lengths (${dimension} and ${embedding.length})`);
    return toUnitVector(embedding as number[]);
  });
}

function toHost(base: string): string {
  try {
    return new URL(base).host;
  } catch {
    return base;
  }
}
