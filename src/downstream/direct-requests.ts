// Requests pml forwards to a 2025-era server (tools/call, resources/read, ...) go straight over the
// transport, beside the SDK Client that keeps the handshake, pings and server requests. Their ids
// are strings ("pml-1") so they never meet the SDK's numeric ids; their answers are taken before
// the SDK parses them, and so is progress on pml's own tokens, in either era (./era-paths.ts).
// Timeouts and cancellation send `notifications/cancelled`.
// It also reads what a server answers the SDK before the SDK does (readSdkAnswer): an invalid tool
// costs only itself, and what 2026-07-28 servers on older SDKs leave out is filled in.
import { ProtocolError, ProtocolErrorCode, SdkErrorCode, SdkError } from '@modelcontextprotocol/client';
import type { Transport, JSONRPCMessage } from '@modelcontextprotocol/client';
import { wrapForClient, type ClientFacingTransport } from './client-transport.js';
import type { ProgressRouter } from './progress-router.js';
import { dropInvalidTools, type InvalidToolListener } from './valid-tools.js';

interface Pending {
  resolve: (result: Record<string, unknown>) => void;
  reject: (error: unknown) => void;
  /** Resolves when the request is answered, fails, times out or is cancelled. */
  settled: Promise<void>;
}

type Message = Record<string, unknown> & { id?: unknown; method?: unknown; params?: Record<string, unknown> };

const ID_PREFIX = 'pml-';

export class DirectRequests {
  readonly transport: ClientFacingTransport;
  private readonly pending = new Map<string, Pending>();
  private issued = 0;

  constructor(
    inner: Transport,
    private readonly progress: ProgressRouter,
    private readonly answers: SdkAnswerOptions = { isModern: () => false, onInvalidTool: () => {} },
  ) {
    this.transport = wrapForClient(
      inner,
      (message) => this.take(message as Message),
      () => this.failAll(new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed')),
    );
  }

  request(
    request: { method: string; params?: Record<string, unknown> },
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<Record<string, unknown>> {
    const id = `${ID_PREFIX}${++this.issued}`;
    let markSettled = () => {};
    const settled = new Promise<void>((resolve) => (markSettled = resolve));
    return new Promise((resolve, reject) => {
      const settle = () => {
        markSettled();
        this.pending.delete(id);
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const cancel = (reason: string) => {
        settle();
        void this.transport
          .send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason } })
          .catch(() => {});
      };
      const onAbort = () => {
        cancel(String(signal?.reason ?? 'cancelled'));
        reject(signal?.reason ?? new Error('cancelled'));
      };
      const timer = setTimeout(() => {
        cancel(`pml: no answer within ${timeoutMs} ms`);
        reject(new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out', { timeout: timeoutMs }));
      }, timeoutMs);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: (result) => (settle(), resolve(result)),
        reject: (error) => (settle(), reject(error)),
        settled,
      });
      this.transport
        .send({ jsonrpc: '2.0', id, ...request } as JSONRPCMessage)
        .catch((error: unknown) => this.pending.get(id)?.reject(error));
    });
  }

  private take(message: Message): boolean {
    if (message.method === 'notifications/progress') return this.progress.deliver(message.params as never);
    if (typeof message.id !== 'string' || !message.id.startsWith(ID_PREFIX) || 'method' in message) {
      readSdkAnswer(message, this.answers);
      return false;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return true; // answered after a timeout or a cancel: nobody waits for it any more
    const error = message.error as { code?: unknown; message?: unknown; data?: unknown } | undefined;
    if (error) {
      const code = typeof error.code === 'number' ? error.code : ProtocolErrorCode.InternalError;
      pending.reject(new ProtocolError(code, String(error.message ?? 'error'), error.data));
    } else pending.resolve((message.result ?? {}) as Record<string, unknown>);
    return true;
  }

  private failAll(error: Error): void {
    for (const pending of [...this.pending.values()]) pending.reject(error);
  }

  /** Resolves once no request pml sent on this transport waits for an answer any more. */
  async drained(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending.values()].map((p) => p.settled));
  }
}

export interface SdkAnswerOptions {
  /** Whether the SDK Client on this transport speaks 2026-07-28 (its answers need `resultType`). */
  isModern: () => boolean;
  onInvalidTool: InvalidToolListener;
}

const LIST_KEYS = ['tools', 'prompts', 'resources', 'resourceTemplates'];

/**
 * Liberal in what pml accepts, before the SDK reads an answer: a tools/list keeps its valid tools
 * (./valid-tools.ts), and from a 2026-07-28 server a result with no `resultType` is complete and a
 * list with no cache hints (`ttlMs`, `cacheScope`) is one nobody may cache. Servers on older SDKs with
 * a discover handler added leave all three out; the SDK would fail each such answer.
 */
function readSdkAnswer(message: Message, options: SdkAnswerOptions): void {
  const result = message.result as Record<string, unknown> | undefined;
  if (message.method !== undefined || typeof result !== 'object' || result === null) return;
  dropInvalidTools(result, options.onInvalidTool);
  if (!options.isModern()) return;
  result.resultType ??= 'complete';
  if (result.ttlMs === undefined && LIST_KEYS.some((key) => Array.isArray(result[key]))) {
    result.ttlMs = 0;
    result.cacheScope ??= 'private';
  }
}
