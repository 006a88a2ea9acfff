// How a 2026-07-28 client answers what a server asks during its call. That era has no
// server→client requests: a call that needs sampling, elicitation or roots ends with an
// `input_required` result, and the client retries it with the answers. pml replays: every round
// runs the call again, and the server's requests are answered, in the order they come, from the
// answers of the earlier rounds (carried in the signed requestState) and of this one. The first
// request with no answer yet ends the round. So a legacy server that pushes requests, and a
// 2026-07-28 server whose own input_required rounds the SDK client drives, are bridged alike, and
// any pml instance can run any round.
import { randomUUID } from 'node:crypto';
import type { ConnectedClient, ServerRequest } from '../../core/client-registry.js';
import { CancelledError, UnsupportedRequestError } from '../../../errors/index.js';

/**
 * A legacy server cannot name the requests it pushes; one that wants its 2026-07-28 callers to see
 * its own input keys (as a 2026-07-28 server would return them) sets this in the request's `_meta`.
 */
export const INPUT_KEY_META = 'dev.pml/input-key';

const CAPABILITY_OF: Record<string, string> = {
  'sampling/createMessage': 'sampling',
  'elicitation/create': 'elicitation',
  'roots/list': 'roots',
};

/** One answered request of an earlier round, in the order the server asked. */
export interface RecordedAnswer {
  method: string;
  result: Record<string, unknown>;
}

/** A request this round could not answer: it goes to the client as an embedded input request. */
export interface OpenRequest {
  key: string;
  request: ServerRequest;
}

export class InputBridge implements ConnectedClient {
  readonly id = `modern-${randomUUID()}`;
  readonly lastActiveMs = Date.now();
  readonly open: OpenRequest[] = [];
  /** Capabilities the server needed during the call that the client did not declare. */
  readonly missing = new Set<string>();
  private asked = 0;
  private signalInput!: () => void;
  /** Resolves when the call asked for something no round has answered yet. */
  readonly needsInput = new Promise<void>((resolve) => (this.signalInput = resolve));

  constructor(
    private readonly answers: readonly RecordedAnswer[],
    private readonly clientCapabilities: Record<string, unknown> | undefined,
    /** The log messages of the servers this request is calling go on its own stream. */
    private readonly log: {
      isCalling(serverId: string): boolean;
      write(params: Record<string, unknown>): void;
    },
  ) {}

  // Claimed for every kind so that a request during this call is never handed to another client;
  // one this client did not declare is refused in request(), and the server goes on without it.
  supports(): boolean {
    return true;
  }

  request(request: ServerRequest, signal: AbortSignal): Promise<Record<string, unknown>> {
    const capability = CAPABILITY_OF[request.method];
    if (capability !== undefined && this.clientCapabilities?.[capability] === undefined) {
      this.missing.add(capability);
      return Promise.reject(
        new UnsupportedRequestError(`The client did not declare the ${capability} capability.`, {
          method: request.method,
        }),
      );
    }
    const index = this.asked++;
    const answer = this.answers[index];
    if (answer?.method === request.method) return Promise.resolve(answer.result);
    this.open.push({ key: this.keyFor(request, index), request });
    this.signalInput();
    return new Promise((_resolve, reject) => {
      const fail = () =>
        reject(
          new CancelledError('the round ended: the client is asked for input', { operation: request.method }),
        );
      if (signal.aborted) fail();
      else signal.addEventListener('abort', fail, { once: true });
    });
  }

  private keyFor(request: ServerRequest, index: number): string {
    const named = (request.params?._meta as Record<string, unknown> | undefined)?.[INPUT_KEY_META];
    const taken = new Set(this.open.map((entry) => entry.key));
    return typeof named === 'string' && named !== '' && !taken.has(named) ? named : `pml-input-${index}`;
  }

  notifyToolsChanged(): void {}
  forwardLog(params: Record<string, unknown>, serverId: string): void {
    if (this.log.isCalling(serverId)) this.log.write(params);
  }
  forwardResourceUpdated(): void {}
  forwardNotification(): void {}
  async close(): Promise<void> {}
}
