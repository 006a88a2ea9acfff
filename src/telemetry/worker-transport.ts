// A Sentry transport whose HTTP requests run in a worker thread (transport-worker.ts). The SDK's
// createTransport still owns the buffer, rate limits and drop reports; only the socket work moves.
import { Worker } from 'node:worker_threads';
import type * as SentryNode from '@sentry/node';
import type { NodeOptions } from '@sentry/node';
import type { EnvelopeRequest, EnvelopeResponse, TransportWorkerData } from './transport-worker.js';

type SentryModule = typeof SentryNode;
type CreateTransport = SentryModule['createTransport'];
type TransportOptions = Parameters<NonNullable<NodeOptions['transport']>>[0];
type Transport = ReturnType<CreateTransport>;
type TransportMakeRequestResponse = Awaited<ReturnType<Parameters<CreateTransport>[1]>>;

const BATCH_INTERVAL_MS = 25;

interface Pending {
  resolve: (response: TransportMakeRequestResponse) => void;
  reject: (error: Error) => void;
}

export function createWorkerTransport(Sentry: SentryModule, options: TransportOptions): Transport {
  const workerData: TransportWorkerData = { url: options.url, headers: options.headers ?? {} };
  // stdout/stderr: true keeps anything the worker might print off the protocol's stdout.
  const worker = new Worker(new URL('./transport-worker.js', import.meta.url), {
    workerData,
    stdout: true,
    stderr: true,
  });
  worker.stdout.resume();
  worker.stderr.resume();
  // Never keeps the gateway alive: Sentry.close() waits for what is in flight, up to its timeout.
  worker.unref();

  const pending = new Map<number, Pending>();
  let nextId = 0;
  let queue: EnvelopeRequest[] = [];
  let failure: Error | undefined;
  const failAll = (error: Error) => {
    failure = error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  worker.on('error', failAll);
  worker.on('exit', () => failAll(new Error('telemetry transport worker exited')));
  worker.on('message', (responses: EnvelopeResponse[]) => {
    for (const response of responses) settle(response);
  });
  const settle = (response: EnvelopeResponse) => {
    const waiting = pending.get(response.id);
    if (!waiting) return;
    pending.delete(response.id);
    if (response.error !== undefined) waiting.reject(new Error(response.error));
    else
      waiting.resolve({
        statusCode: response.statusCode,
        headers: {
          'retry-after': response.retryAfter ?? null,
          'x-sentry-rate-limits': response.rateLimits ?? null,
        },
      });
  };

  // Envelopes go over in batches: one postMessage cost the event loop ~0.19 ms here (it wakes the
  // worker with a system call), as much as the HTTP request it replaced.
  let timer: NodeJS.Timeout | undefined;
  const flushQueue = () => {
    clearTimeout(timer);
    timer = undefined;
    const batch = queue;
    queue = [];
    if (batch.length > 0 && !failure) worker.postMessage(batch);
  };

  const transport = Sentry.createTransport(options, (request) => {
    if (failure) return Promise.reject(failure);
    return new Promise<TransportMakeRequestResponse>((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { resolve, reject });
      queue.push({ id, body: request.body });
      timer ??= setTimeout(flushQueue, BATCH_INTERVAL_MS).unref();
    });
  });
  return {
    ...transport,
    flush: (timeout) => {
      flushQueue();
      return transport.flush(timeout);
    },
  };
}
