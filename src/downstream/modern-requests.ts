// Requests pml forwards to a 2026-07-28 server go through the SDK Client, whose per-request `_meta`
// envelope, standard HTTP headers and `input_required` rounds are what that era asks for. Three
// 2025 methods the era dropped are kept for the 2025 clients in front, in the era's own terms:
// - logging/setLevel becomes the `logLevel` of every later request's `_meta` (a 2026-07-28 server
//   logs nothing for a request that names no level);
// - resources/subscribe and /unsubscribe open and close a `subscriptions/listen` stream for the URI,
//   whose `resources/updated` notifications reach the same handlers as a legacy server's.
import { LOG_LEVEL_META_KEY } from '@modelcontextprotocol/client';
import type { Client, McpSubscription, Tool } from '@modelcontextprotocol/client';
import { PASSTHROUGH_RESULT } from '../shared/passthrough-result.js';
import { toMcpParamHeaders } from './mcp-param-headers.js';
import { withMeta } from './progress-router.js';

type Request = { method: string; params?: Record<string, unknown> };
type Result = Record<string, unknown>;

export interface ForwardedCall {
  timeoutMs: number;
  signal: AbortSignal | undefined;
  /** The server's tools as last listed: a tools/call finds its definition there. */
  tools: Tool[];
}

export class ModernRequests {
  private logLevel: string | undefined;
  private readonly resourceStreams = new Map<string, Promise<McpSubscription>>();

  constructor(private readonly client: Client) {}

  async request(request: Request, call: ForwardedCall): Promise<Result> {
    switch (request.method) {
      case 'logging/setLevel':
        this.logLevel = String(request.params?.level);
        return {};
      case 'resources/subscribe':
        return this.subscribe(String(request.params?.uri), call);
      case 'resources/unsubscribe':
        return this.unsubscribe(String(request.params?.uri));
    }
    const sent = this.logLevel ? withMeta(request, { [LOG_LEVEL_META_KEY]: this.logLevel }) : request;
    // One timeout for the whole call, its input_required rounds included, as for a legacy call
    // whose server asks the client meanwhile. Progress comes on pml's own token in `_meta`, taken
    // off the transport by DirectRequests as a legacy server's is.
    return this.client.request(sent, PASSTHROUGH_RESULT, {
      timeout: call.timeoutMs,
      maxTotalTimeout: call.timeoutMs,
      signal: call.signal,
      headers: request.method === 'tools/call' ? toParamHeaders(request.params, call.tools) : undefined,
    });
  }

  /**
   * Answers once the server acknowledged the stream. Which updates it then sends is the server's
   * to decide (its `honoredFilter`: one that does not declare `resources.subscribe` sends none), as
   * a 2025 server's empty answer to resources/subscribe promises nothing either.
   */
  private async subscribe(uri: string, call: ForwardedCall): Promise<Result> {
    let stream = this.resourceStreams.get(uri);
    if (!stream) {
      stream = this.client.listen(
        { resourceSubscriptions: [uri] },
        { timeout: call.timeoutMs, signal: call.signal },
      );
      this.resourceStreams.set(uri, stream);
      stream.catch(() => this.resourceStreams.delete(uri));
    }
    await stream;
    return {};
  }

  private async unsubscribe(uri: string): Promise<Result> {
    const stream = this.resourceStreams.get(uri);
    this.resourceStreams.delete(uri);
    await (await stream?.catch(() => undefined))?.close();
    return {};
  }
}

function toParamHeaders(params: Record<string, unknown> | undefined, tools: Tool[]) {
  const tool = tools.find((candidate) => candidate.name === params?.name);
  return toMcpParamHeaders(tool, params?.arguments);
}
