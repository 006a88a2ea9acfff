// How a 2026-07-28 client answers what a server asks during its call. That era has no
// server→client requests: a call that needs sampling, elicitation or roots ends with an
// `input_required` result, and the client retries it with the answers. pml replays: every round
// runs the call again, and the server's requests are answered, in the order they come, from the
// answers of the earlier rounds (carried in the signed requestState) and of this one. The first
// request with no answer yet ends the round. So a legacy server that pushes requests, and a
// 2026-07-28 server whose own input_required rounds the SDK client drives, are bridged alike, and
// any pml instance can run any round.
import { randomUUID } from 'node:crypto';
import {
  CAPABILITY_OF_SERVER_REQUEST,
  type ConnectedClient,
  type ServerRequest,
} from '../../core/client-registry.js';
import { INPUT_KEY_META } from '../../../downstream/index.js';
import { CancelledError, UnsupportedRequestError } from '../../../errors/index.js';

const GATHER_QUIET_MS = 20;
const GATHER_AT_MOST_MS = 250;

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
  /** Requests of capabilities the client lacks, held until the round's others are in. */
  private undeclared: (() => void)[] = [];
  private signalInput!: () => void;
  private gathering: NodeJS.Timeout | undefined;
  private firstOpenAtMs: number | undefined;
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
  // one this client did not declare is refused in request() (see there).
  supports(): boolean {
    return true;
  }

  /**
   * A request the client can answer is answered from an earlier round, or opens this one. One it
   * cannot (a capability it did not declare) is never shown to it: when the round has other
   * requests, it ends without it; when it has none, it is refused, and the server goes on without
   * it (or fails, which the caller turns into -32021).
   */
  request(request: ServerRequest, signal: AbortSignal): Promise<Record<string, unknown>> {
    const capability = CAPABILITY_OF_SERVER_REQUEST[request.method];
    if (capability !== undefined && this.clientCapabilities?.[capability] === undefined) {
      this.missing.add(capability);
      this.endRoundSoon();
      return new Promise((_resolve, reject) => {
        this.undeclared.push(() =>
          reject(
            new UnsupportedRequestError(`The client did not declare the ${capability} capability.`, {
              method: request.method,
            }),
          ),
        );
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    }
    const index = this.asked++;
    const answer = this.answers[index];
    if (answer?.method === request.method) return Promise.resolve(answer.result);
    this.open.push({ key: this.keyFor(request, index), request });
    this.endRoundSoon();
    return new Promise((_resolve, reject) => {
      const fail = () =>
        reject(
          new CancelledError('the round ended: the client is asked for input', { operation: request.method }),
        );
      if (signal.aborted) fail();
      else signal.addEventListener('abort', fail, { once: true });
    });
  }

  /**
   * A server asks a round's questions together, but they reach pml one read at a time: the round
   * ends once no new request has come for a moment (and at the latest a little after the first), so
   * that the client gets them in one input_required result.
   */
  private endRoundSoon(): void {
    clearTimeout(this.gathering);
    this.firstOpenAtMs ??= performance.now();
    const left = this.firstOpenAtMs + GATHER_AT_MOST_MS - performance.now();
    this.gathering = setTimeout(() => this.endRound(), Math.max(0, Math.min(GATHER_QUIET_MS, left)));
    this.gathering.unref();
  }

  private endRound(): void {
    this.firstOpenAtMs = undefined;
    if (this.open.length > 0) return this.signalInput();
    for (const refuse of this.undeclared.splice(0)) refuse();
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
