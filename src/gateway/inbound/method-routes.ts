// Every inbound method except tools/call as a route of the request pipeline: its params schema,
// what it is about (for the span name) and its handler. The client's own state (log level,
// subscriptions) lives in the session; everything shared is reached through the core's ports.
import { ATTR_PML_TOOLS_COUNT, ATTR_PML_TOOLS_MODE } from '../../telemetry/index.js';
import type { ProxyRoutes } from '../core/proxy-routes.js';
import { parseParams, type InboundMethod, type McpLogLevel, type ParamsOf } from './request-params.js';
import { toOperationName, type MethodRoute, type RequestContext } from './request-pipeline.js';
import type { ToolsListing } from './tools-listing.js';

export interface ClientState {
  readonly clientId: string;
  subscriptions: Set<string>;
  logLevel: McpLogLevel | undefined;
}

function route<M extends InboundMethod>(
  method: M,
  target: (params: ParamsOf<M>) => string | undefined,
  handle: (params: ParamsOf<M>, context: RequestContext) => Promise<Record<string, unknown>>,
): MethodRoute<ParamsOf<M>, Record<string, unknown>> {
  const operation = toOperationName(method);
  return {
    method,
    parse: (params) => parseParams(method, params),
    describe: (params) => ({ operation, target: target(params) }),
    handle,
  };
}

const none = () => undefined;

export function buildMethodRoutes(
  routes: ProxyRoutes,
  tools: ToolsListing,
  state: ClientState,
): MethodRoute<never, Record<string, unknown>>[] {
  return [
    route('tools/list', none, async (_params, { scope }) => {
      const listed = await tools.list();
      scope.setData(ATTR_PML_TOOLS_COUNT, listed.length);
      scope.setData(ATTR_PML_TOOLS_MODE, tools.mode);
      return { tools: listed };
    }),
    route('resources/list', none, async (_params, { scope }) => ({
      resources: await routes.listResources(scope),
    })),
    route('resources/templates/list', none, async (_params, { scope }) => ({
      resourceTemplates: await routes.listResourceTemplates(scope),
    })),
    route(
      'resources/read',
      (params) => params.uri,
      (params, { signal, scope }) => routes.readResource(params, signal, scope, state.clientId),
    ),
    route(
      'resources/subscribe',
      (params) => params.uri,
      async (params, { scope }) => {
        const result = await routes.subscribe(params, state.clientId, scope);
        state.subscriptions.add(params.uri);
        return result;
      },
    ),
    route(
      'resources/unsubscribe',
      (params) => params.uri,
      async (params, { scope }) => {
        state.subscriptions.delete(params.uri);
        return routes.unsubscribe(params, state.clientId, scope);
      },
    ),
    route('prompts/list', none, async (_params, { scope }) => ({ prompts: await routes.listPrompts(scope) })),
    route(
      'prompts/get',
      (params) => params.name,
      (params, { signal, scope }) => routes.getPrompt(params, signal, scope, state.clientId),
    ),
    route(
      'completion/complete',
      (params) => (params.ref.type === 'ref/prompt' ? params.ref.name : params.ref.uri),
      (params, { signal, scope }) => routes.complete(params, signal, scope),
    ),
    route('logging/setLevel', none, async (params, { scope }) => {
      state.logLevel = params.level;
      await routes.setLogLevel(params, scope);
      return {};
    }),
  ] as unknown as MethodRoute<never, Record<string, unknown>>[];
}
