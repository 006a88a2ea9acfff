// The 2026-07-28 face of the gateway: a low-level SDK Server per request (HTTP) or per connection
// (stdio) whose handlers run pml's own routes through the request pipeline. The SDK keeps what the
// revision defines on the wire (server/discover, the `_meta` envelope and its errors, resultType,
// cache fields, standard headers, subscriptions/listen, removed methods); pml keeps what it knows
// (routing, telemetry, error answers) and bridges server requests into input_required rounds.
import { createHash } from 'node:crypto';
import {
  CLIENT_CAPABILITIES_META_KEY,
  MissingRequiredClientCapabilityError,
  PROTOCOL_VERSION_META_KEY,
  ProtocolError,
  Server,
  inputRequired,
  type CacheHint,
  type InputRequests,
  type LoggingLevel,
  type McpServerFactory,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { NetworkTransport } from '../../../telemetry/index.js';
import { toCanonicalJson } from '../../../shared/canonical-json.js';
import { PML_VERSION } from '../../../shared/version.js';
import { GATEWAY_CAPABILITIES, GATEWAY_INSTRUCTIONS } from '../gateway-identity.js';
import { buildMethodRoutes } from '../method-routes.js';
import { createRequestPipeline, type MethodRoute } from '../request-pipeline.js';
import type { GatewayServices } from '../session.js';
import { buildToolCallRoute } from '../tool-call-route.js';
import { InputBridge, type OpenRequest, type RecordedAnswer } from './input-bridge.js';
import type { RequestStateSeal } from './request-state-seal.js';

// Methods of the legacy era that 2026-07-28 removed (the SDK answers them as the revision says).
const REMOVED_METHODS = new Set(['logging/setLevel', 'resources/subscribe', 'resources/unsubscribe']);
// Methods whose server may ask the client something meanwhile: each is one input_required round.
const BRIDGED_METHODS = new Set(['tools/call', 'prompts/get', 'resources/read']);

// What every client sees is the same (pml filters nothing per client), so shared caches may keep
// the lists; a list change is announced on subscriptions/listen before the hint runs out.
const LIST_CACHE_HINT: CacheHint = { ttlMs: 30_000, cacheScope: 'public' };

// The tasks extension (SEP-2663): pml does not offer it (the SDK it is built on has none to pass
// through), so a task-augmented tools/call runs to its result, and the task methods are answered as
// the extension says for a server without it: -32021 to a client that did not declare it, -32601
// otherwise.
const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';
const TASK_METHODS = ['tasks/get', 'tasks/update', 'tasks/cancel', 'tasks/list'];
const TASK_PARAMS = { params: z.looseObject({}) };

async function refuseTasks(_params: unknown, ctx: ServerContext): Promise<never> {
  const capabilities = envelopeOf(ctx)[CLIENT_CAPABILITIES_META_KEY] as
    { extensions?: Record<string, unknown> } | undefined;
  if (capabilities?.extensions?.[TASKS_EXTENSION] === undefined)
    throw new MissingRequiredClientCapabilityError({
      requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } },
    });
  throw new ProtocolError(
    -32601,
    `pml does not offer the ${TASKS_EXTENSION} extension: call the tool without a task and wait for its result.`,
  );
}

/** The request's `_meta` envelope by its wire keys (the SDK types it as opaque). */
function envelopeOf(ctx: ServerContext): Record<string, unknown> {
  return (ctx.mcpReq.envelope as Record<string, unknown> | undefined) ?? {};
}

/** What a round's requestState carries: enough for any pml instance to run the next round. */
export interface BridgeState {
  /** Which request the state belongs to: method, tool (or prompt, URI) and a digest of its params. */
  call: string;
  answers: RecordedAnswer[];
  open: { key: string; method: string }[];
}

export function createModernServerFactory(
  services: GatewayServices,
  transport: NetworkTransport,
  seal: RequestStateSeal,
): McpServerFactory {
  const { core } = services;
  const pipeline = createRequestPipeline({ telemetry: core.telemetry, metrics: core.metrics, transport });
  // State a 2026-07-28 client cannot keep between requests: it has none (no session, no log level).
  const stateless = { clientId: 'modern', subscriptions: new Set<string>(), logLevel: undefined };
  // Served as they are: every method but the removed ones and the bridged ones (set up below).
  const listRoutes = buildMethodRoutes(core.routes, services.tools, stateless).filter(
    (route) => !REMOVED_METHODS.has(route.method) && !BRIDGED_METHODS.has(route.method),
  );

  const serve = async (route: MethodRoute, params: unknown, ctx: ServerContext, signal = ctx.mcpReq.signal) =>
    pipeline
      .run(route, params, {
        signal,
        requestId: ctx.mcpReq.id,
        sessionId: undefined,
        protocolVersion: envelopeOf(ctx)[PROTOCOL_VERSION_META_KEY] as string | undefined,
        sendNotification: (notification) => ctx.mcpReq.notify(notification),
      })
      .catch((error: unknown) => {
        throw toProtocolError(error);
      });

  // A tool call, a prompts/get or a resources/read is one round: it ends with the result, or with
  // the requests its server asked that this client still has to answer.
  const serveRound = async (
    route: (clientId: string) => MethodRoute,
    target: string,
    params: Record<string, unknown>,
    ctx: ServerContext,
  ) => {
    // Digested only when a round needs it: most calls never ask for input.
    const call = () => describeCall(ctx.mcpReq.method, target, params);
    const state = ctx.mcpReq.requestState<BridgeState>();
    if (state !== undefined && (typeof state !== 'object' || state.call !== call()))
      throw new ProtocolError(-32602, 'Invalid or expired requestState: it belongs to another request.');
    const answers = collectAnswers(state, ctx.mcpReq.inputResponses);
    const capabilities = envelopeOf(ctx)[CLIENT_CAPABILITIES_META_KEY] as Record<string, unknown> | undefined;
    const bridge: InputBridge = new InputBridge(answers, capabilities, {
      isCalling: (serverId) => core.clients.isCalling(serverId, bridge.id),
      // The SDK filters by the request's own log level (`_meta`), and sends nothing without one.
      write: ({ level, data, logger }) =>
        void ctx.mcpReq.log(level as LoggingLevel, data, logger as string | undefined).catch(() => {}),
    });
    const round = new AbortController();
    const cancel = () => round.abort(ctx.mcpReq.signal.reason);
    ctx.mcpReq.signal.addEventListener('abort', cancel, { once: true });
    core.clients.add(bridge);
    try {
      const outcome = await Promise.race([
        serve(route(bridge.id), params, ctx, round.signal).then((result) => ({ result })),
        bridge.needsInput.then(() => ({ input: true as const })),
      ]);
      if ('result' in outcome) {
        const result = outcome.result as Record<string, unknown>;
        // It failed for want of what the client cannot do: the revision's answer is -32021.
        if (result.isError === true && bridge.missing.size > 0)
          throw new MissingRequiredClientCapabilityError({
            requiredCapabilities: Object.fromEntries([...bridge.missing].map((name) => [name, {}])),
          });
        return result;
      }
      // The round ends here; the downstream request is cancelled and runs again with the answers.
      round.abort('pml asked the client for input');
      const next: BridgeState = {
        call: call(),
        answers,
        open: bridge.open.map(({ key, request }) => ({ key, method: request.method })),
      };
      return inputRequired({
        inputRequests: toInputRequests(bridge.open),
        requestState: await seal.mint(next, ctx),
      });
    } finally {
      ctx.mcpReq.signal.removeEventListener('abort', cancel);
      core.clients.remove(bridge);
    }
  };
  const toolCallRoute = (clientId: string) =>
    buildToolCallRoute({
      invoker: core.invoker,
      metaTools: services.metaTools,
      caller: { clientId, transport },
    });
  const methodRoute = (method: string) => (clientId: string) =>
    buildMethodRoutes(core.routes, services.tools, { ...stateless, clientId }).find(
      (route) => route.method === method,
    )!;
  const bridged: [string, (params: Record<string, unknown>) => string, (clientId: string) => MethodRoute][] =
    [
      ['tools/call', (params) => String(params.name), toolCallRoute as (clientId: string) => MethodRoute],
      ['prompts/get', (params) => String(params.name), methodRoute('prompts/get')],
      ['resources/read', (params) => String(params.uri), methodRoute('resources/read')],
    ];

  return () => {
    const server = new Server(
      { name: 'pml', version: PML_VERSION },
      {
        capabilities: GATEWAY_CAPABILITIES,
        instructions: GATEWAY_INSTRUCTIONS,
        requestState: { verify: seal.verify },
        cacheHints: {
          'server/discover': LIST_CACHE_HINT,
          'tools/list': LIST_CACHE_HINT,
          'prompts/list': LIST_CACHE_HINT,
          'resources/list': LIST_CACHE_HINT,
          'resources/templates/list': LIST_CACHE_HINT,
        },
      },
    );
    for (const [method, target, route] of bridged) {
      server.setRequestHandler(
        method as 'tools/call',
        (request, ctx) => serveRound(route, target(request.params), request.params, ctx) as never,
      );
    }
    for (const method of TASK_METHODS) server.setRequestHandler(method, TASK_PARAMS, refuseTasks);
    for (const route of listRoutes) {
      server.setRequestHandler(
        route.method as 'tools/list',
        (request, ctx) => serve(route as MethodRoute, request.params, ctx) as never,
      );
    }
    return server;
  };
}

const ROUND_FIELDS = new Set(['_meta', 'inputResponses', 'requestState']);

/** The request a state belongs to: a replayed answer must never reach another one. */
function describeCall(method: string, target: string, params: Record<string, unknown>): string {
  // The round's own fields change from one round to the next; the request itself must not.
  const asked = Object.fromEntries(Object.entries(params).filter(([key]) => !ROUND_FIELDS.has(key)));
  const digest = createHash('sha256').update(toCanonicalJson(asked)).digest('base64url');
  return `${method}\0${target}\0${digest}`;
}

/** The earlier rounds' answers, then this round's in the order the server asked; a gap ends them. */
function collectAnswers(
  state: BridgeState | undefined,
  responses: Record<string, unknown> | undefined,
): RecordedAnswer[] {
  const answers = [...(state?.answers ?? [])];
  for (const { key, method } of state?.open ?? []) {
    const result = responses?.[key];
    if (typeof result !== 'object' || result === null) break;
    answers.push({ method, result: result as Record<string, unknown> });
  }
  return answers;
}

function toInputRequests(open: OpenRequest[]): InputRequests {
  return Object.fromEntries(
    open.map(({ key, request }) => [key, { method: request.method, params: request.params ?? {} }]),
  ) as InputRequests;
}

/** pml's JSON-RPC answer as the SDK's typed error, which its encoder writes back unchanged. */
function toProtocolError(error: unknown): unknown {
  const { code, message, data } = error as { code?: unknown; message?: unknown; data?: unknown };
  if (typeof code !== 'number' || typeof message !== 'string') return error;
  return ProtocolError.fromError(code, message, data);
}
