// Runs in a worker thread: POSTs the envelopes the main thread hands over. A socket write cost the
// gateway's event loop ~0.3 ms per envelope here; on this thread it no longer delays requests.
import * as http from 'node:http';
import * as https from 'node:https';
import { parentPort, workerData } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';

export interface EnvelopeRequest {
  id: number;
  body: string | Uint8Array;
}

export interface EnvelopeResponse {
  id: number;
  statusCode?: number;
  retryAfter?: string | null;
  rateLimits?: string | null;
  error?: string;
}

export interface TransportWorkerData {
  url: string;
  headers: Record<string, string>;
}

// The SDK's own node transport settings: gzip above 32 KiB, 30 sockets kept alive.
const GZIP_THRESHOLD_BYTES = 32 * 1024;
const MAX_SOCKETS = 30;
const SOCKET_TIMEOUT_MS = 2000;
const REPLY_INTERVAL_MS = 10;

const port = parentPort;
if (port) {
  const { url, headers } = workerData as TransportWorkerData;
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  const agent = new client.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS, timeout: SOCKET_TIMEOUT_MS });
  // Replies are batched too, for the same reason envelopes are (see worker-transport.ts).
  let replies: EnvelopeResponse[] = [];
  const flushReplies = () => {
    port.postMessage(replies);
    replies = [];
  };
  const reply = (response: EnvelopeResponse) => {
    if (replies.length === 0) setTimeout(flushReplies, REPLY_INTERVAL_MS);
    replies.push(response);
  };

  const send = ({ id, body }: EnvelopeRequest, canRetry: boolean): void => {
    let payload: Uint8Array = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const requestHeaders: Record<string, string> = { ...headers };
    if (payload.length > GZIP_THRESHOLD_BYTES) {
      payload = gzipSync(payload);
      requestHeaders['content-encoding'] = 'gzip';
    }
    const request = client.request(target, { method: 'POST', agent, headers: requestHeaders }, (response) => {
      response.resume();
      const rateLimits = response.headers['x-sentry-rate-limits'];
      reply({
        id,
        statusCode: response.statusCode,
        retryAfter: (response.headers['retry-after'] as string | undefined) ?? null,
        rateLimits: (Array.isArray(rateLimits) ? rateLimits[0] : rateLimits) ?? null,
      });
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      // A kept-alive socket the server closed meanwhile: one retry, as the SDK does.
      if (canRetry && request.reusedSocket && error.code === 'ECONNRESET') send({ id, body }, false);
      else reply({ id, error: error.message });
    });
    request.end(payload);
  };

  port.on('message', (batch: EnvelopeRequest[]) => {
    for (const envelope of batch) send(envelope, true);
  });
}
