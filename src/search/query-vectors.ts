// Query vectors for search: a small memo of recent queries, a deadline per embedding, and a breaker
// that keeps searches lexical for a while after the embedder fails, reporting each outage once
// (log line and breadcrumb), not once per query.
import { toErrorMessage, VectorSearchError } from '../errors/index.js';
import type { Logger } from '../shared/logger.js';
import type { RequestScope, Telemetry } from '../telemetry/index.js';
import {
  ATTR_EMBEDDING_MODEL,
  ATTR_QUERY_LENGTH,
  BREADCRUMB_SEARCH,
  EMBEDDING_COMPUTE_OP,
} from './span-names.js';
import type { Embedder } from './types.js';

/** Recent query vectors kept: an agent often repeats or refines a search, and a use is recorded right after one. */
const MEMO_SIZE = 256;

export interface QueryVectors {
  /** The vector of `text`, or undefined when the embedder is down or too slow (then search lexically). */
  toVector(text: string, scope: RequestScope | undefined): Promise<Float32Array | undefined>;
  /** A memoised vector, without embedding. */
  peek(text: string): Float32Array | undefined;
  /** Why the embedder is not used now, if it is not. */
  readonly failure: string | undefined;
}

export interface QueryVectorsDeps {
  embedder: Embedder;
  logger: Logger;
  telemetry: Telemetry;
  timeoutMs: number;
  retryMs: number;
  now?: () => number;
}

export function createQueryVectors(deps: QueryVectorsDeps): QueryVectors {
  const now = deps.now ?? Date.now;
  const memo = new Map<string, Float32Array>();
  let failure: string | undefined;
  let retryAt = 0;

  const embedOnce = async (text: string): Promise<Float32Array> => {
    const signal = AbortSignal.timeout(deps.timeoutMs);
    const timedOut = new Promise<never>((_, reject) =>
      signal.addEventListener('abort', () =>
        reject(
          new VectorSearchError(`the embedder did not answer within ${deps.timeoutMs} ms`, {
            stage: 'embed',
            model: deps.embedder.model,
            queryLength: text.length,
          }),
        ),
      ),
    );
    timedOut.catch(() => {}); // settled by whichever comes first; a late timeout must not go unhandled
    const [vector] = await Promise.race([deps.embedder.embed([text], { signal }), timedOut]);
    if (!vector)
      throw new VectorSearchError('the embedder returned no vector', {
        stage: 'embed',
        model: deps.embedder.model,
      });
    return vector;
  };

  return {
    get failure() {
      return failure;
    },
    peek: (text) => memo.get(text),
    async toVector(text, scope) {
      const known = memo.get(text);
      if (known) return known;
      if (failure !== undefined && now() < retryAt) return undefined;
      try {
        const vector = await deps.telemetry.traceSpan(
          {
            op: EMBEDDING_COMPUTE_OP,
            name: 'embed query',
            attributes: { [ATTR_EMBEDDING_MODEL]: deps.embedder.model, [ATTR_QUERY_LENGTH]: text.length },
            parent: scope,
          },
          () => embedOnce(text),
        );
        if (failure !== undefined) {
          deps.logger.info(
            `search: the embedder ${deps.embedder.model} answers again; searches are hybrid again`,
          );
          failure = undefined;
        }
        memo.set(text, vector);
        if (memo.size > MEMO_SIZE) memo.delete(memo.keys().next().value!);
        return vector;
      } catch (error) {
        retryAt = now() + deps.retryMs;
        if (failure === undefined) {
          failure = toErrorMessage(error);
          deps.logger.warn(
            `search: the embedder ${deps.embedder.model} failed, answering lexically for now: ${failure}`,
          );
          deps.telemetry.addBreadcrumb({
            category: BREADCRUMB_SEARCH,
            level: 'warning',
            message: 'embedder failed, searching lexically',
            data: { model: deps.embedder.model, error: failure },
          });
        }
        return undefined;
      }
    },
  };
}
