// The Sentry implementation of the Telemetry port: the only module that imports @sentry/node, and
// only when telemetry is on (the import and init cost about a second of CPU). pml keeps each
// request's trace and spans itself (request-trace.ts) and hands Sentry finished events: errors go
// through captureException (stack, source maps, scrubbing), transactions straight to the client's
// envelope pipeline. Every call is guarded so telemetry can fail without the gateway noticing.
import { isPmlError, toErrorMessage } from '../errors/index.js';
import type { Logger } from '../shared/logger.js';
import {
  ATTR_MCP_METHOD_NAME,
  ATTR_MCP_SERVER_ID,
  ATTR_NETWORK_TRANSPORT,
  ATTR_PML_SERVER,
  CONTEXT_MCP,
  CONTEXT_PML_ERROR,
  MCP_CLIENT_OP,
  MCP_SERVER_OP,
  TAG_ERROR_CODE,
  TAG_MCP_METHOD,
  TAG_SERVER,
  TAG_TOOL,
} from './attribute-names.js';
import { RecordedSpan, runInSpan } from './recorded-span.js';
import { buildRequestScope } from './request-scope.js';
import {
  createRequestTrace,
  toClientBaggage,
  toDynamicSamplingContext,
  toTraceMeta,
  type RequestTrace,
} from './request-trace.js';
import { scrubTransaction } from './scrub-hooks.js';
import { buildTransactionEvent } from './transaction-event.js';
import { createTransactionQueue } from './transaction-queue.js';
import { buildSentryOptions, toSampleRate } from './sentry-options.js';
import type { TelemetrySettings } from './settings.js';
import { buildRequestAttributes, toNetworkTransport, toSpanName } from './span-attributes.js';
import { readInboundTrace } from './trace-context.js';
import type { ErrorContext, RequestScope, Telemetry } from './types.js';

export async function createSentryTelemetry(settings: TelemetrySettings, logger: Logger): Promise<Telemetry> {
  const Sentry = await import('@sentry/node');
  // What the transport drops (full buffer, rate limit, network error), by `reason:category`.
  const dropped: Record<string, number> = {};
  Sentry.init(buildSentryOptions(Sentry, settings, dropped));
  const client = Sentry.getClient();
  logger.info('telemetry on', {
    environment: settings.environment,
    release: settings.release,
    spotlight: settings.spotlight !== false,
  });

  const guard = (what: string, action: () => void) => {
    try {
      action();
    } catch (error) {
      logger.debug(`telemetry ${what} failed`, { error: toErrorMessage(error) });
    }
  };

  // The client's part of every trace's sampling context, the same for all traces.
  const clientEntries: Record<string, string> = {
    environment: settings.environment,
    release: settings.release,
    ...(client?.getDsn()?.publicKey ? { public_key: client.getDsn()!.publicKey } : {}),
  };
  const clientBaggage = toClientBaggage(clientEntries);
  // The trace of each request scope handed out, for the calls that name their request.
  const traces = new WeakMap<RequestScope, RequestTrace>();
  // The span of each child scope (traceSpan): what spans opened inside it name as their parent.
  const spansOf = new WeakMap<RequestScope, RecordedSpan>();
  const parentSpanIdOf = (scope: RequestScope, trace: RequestTrace) =>
    spansOf.get(scope)?.spanId ?? trace.root?.spanId ?? trace.spanId;

  const captureError = (error: unknown, context: ErrorContext = {}, requestTrace?: RequestTrace) =>
    guard('capture', () => {
      const trace = requestTrace ?? (context.scope ? traces.get(context.scope) : undefined);
      const type = error instanceof Error ? error.name : 'Error';
      const data = isPmlError(error) ? error.data : {};
      const serverId = context.serverId ?? (data.serverId as string | undefined);
      const tool = context.tool ?? (data.tool as string | undefined);
      // A scope of its own handed to the client, not withScope: that would run the SDK's
      // AsyncLocalStorage, which turns on promise hooks for the rest of the process. The event joins
      // the request's trace (the client reads the trace context from the scope it is given).
      const scope = Sentry.getCurrentScope().clone();
      if (trace) {
        scope.setTags(trace.tags);
        scope.setPropagationContext({
          traceId: trace.traceId,
          parentSpanId: trace.parentSpanId,
          propagationSpanId: trace.spanId,
          sampleRand: trace.sampleRand,
          sampled: trace.sampled,
          dsc: toDynamicSamplingContext(trace, clientEntries),
        });
      }
      scope.setFingerprint([type, serverId ?? '-', tool ?? '-']);
      if (serverId) scope.setTag(TAG_SERVER, serverId);
      if (tool) scope.setTag(TAG_TOOL, tool);
      if (isPmlError(error)) {
        scope.setTag(TAG_ERROR_CODE, error.code);
        scope.setContext(CONTEXT_PML_ERROR, { code: error.code, ...error.data });
      }
      scope.setContext(CONTEXT_MCP, {
        serverId,
        tool,
        transport: context.transport ?? data.transport,
        operation: context.operation,
      });
      client?.captureException(error, {}, scope);
    });

  const transactions = createTransactionQueue(
    ({ trace, root }: { trace: RequestTrace; root: RecordedSpan }) =>
      guard('transaction', () => {
        const event = buildTransactionEvent(trace, root, {
          release: settings.release,
          environment: settings.environment,
          dynamicSamplingContext: toDynamicSamplingContext(trace, clientEntries),
        });
        const scrubbed = scrubTransaction(event);
        if (scrubbed) client?.sendEvent(scrubbed as never);
      }),
  );

  return {
    enabled: true,
    toStatus: () => ({ enabled: true, dropped: { ...dropped } }),
    traceRequest: async (info, work) => {
      const tool = info.method === 'tools/call' ? info.target : undefined;
      const inbound = readInboundTrace(info.meta);
      const sampleRate = toSampleRate(settings, info.operation);
      const sampleRand = Math.random();
      // An inbound parent's decision wins; otherwise the operation's rate decides.
      const sampled = inbound?.sampled ?? sampleRand < sampleRate;
      const root = sampled
        ? new RecordedSpan(
            toSpanName(info.method, info.target),
            MCP_SERVER_OP,
            buildRequestAttributes(info),
            inbound?.parentSpanId,
          )
        : undefined;
      const trace = createRequestTrace({ inbound, sampleRand, sampleRate, root });
      if (tool) trace.tags[TAG_TOOL] = tool;
      trace.tags[TAG_MCP_METHOD] = info.method;
      const setTag = (key: string, value: string) => (trace.tags[key] = value);
      const scope = buildRequestScope({
        span: root,
        setTag,
        tool,
        settings,
        captureError: (error, context) => captureError(error, context, trace),
        guard,
      });
      traces.set(scope, trace);
      return runInSpan(
        root,
        () => work(scope),
        (span) => transactions.push({ trace, root: span }),
      );
    },
    traceDownstream: async (info, work) => {
      const trace = info.parent ? traces.get(info.parent) : undefined;
      // Outside a request (discovery at startup, health checks) there is no trace to carry.
      if (!trace) return work(undefined);
      const child = trace.root
        ? new RecordedSpan(
            toSpanName(info.method, info.target),
            MCP_CLIENT_OP,
            {
              [ATTR_MCP_METHOD_NAME]: info.method,
              [ATTR_MCP_SERVER_ID]: info.serverId,
              [ATTR_PML_SERVER]: info.serverId,
              [ATTR_NETWORK_TRANSPORT]: toNetworkTransport(info.transport),
            },
            parentSpanIdOf(info.parent!, trace),
          )
        : undefined;
      let traceMeta: Record<string, string> | undefined;
      guard(
        'propagation',
        () => (traceMeta = toTraceMeta(trace, child?.spanId ?? trace.spanId, clientBaggage)),
      );
      return runInSpan(
        child,
        () => work(traceMeta),
        (span) => trace.children.push(span),
      );
    },
    traceSpan: async (info, work) => {
      const trace = info.parent ? traces.get(info.parent) : undefined;
      if (!trace?.root) return work(info.parent);
      const span = new RecordedSpan(
        info.name,
        info.op,
        { ...info.attributes },
        parentSpanIdOf(info.parent!, trace),
      );
      const scope = buildRequestScope({
        span,
        setTag: (key, value) => (trace.tags[key] = value),
        tool: trace.tags[TAG_TOOL],
        settings,
        captureError: (error, context) => captureError(error, context, trace),
        guard,
      });
      traces.set(scope, trace);
      spansOf.set(scope, span);
      return runInSpan(
        span,
        () => work(scope),
        (ended) => trace.children.push(ended),
      );
    },
    captureError: (error, context) => captureError(error, context),
    addBreadcrumb: (breadcrumb) =>
      guard('breadcrumb', () => Sentry.addBreadcrumb({ ...breadcrumb, level: breadcrumb.level ?? 'info' })),
    close: async (timeoutMs) => {
      try {
        transactions.flush();
        await Sentry.close(timeoutMs);
      } catch {
        // Shutting down anyway.
      }
    },
  };
}
