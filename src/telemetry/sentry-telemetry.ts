// The Sentry implementation of the Telemetry port: the only module that imports @sentry/node, and
// only when telemetry is on (the import and init cost about a second of CPU). Every call is guarded
// so telemetry can fail without the gateway noticing.
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
import { buildRequestScope } from './request-scope.js';
import { buildSentryOptions, toSampleRate } from './sentry-options.js';
import type { TelemetrySettings } from './settings.js';
import { buildRequestAttributes, toNetworkTransport, toSpanName } from './span-attributes.js';
import { readIncomingTrace, toTraceMeta } from './trace-context.js';
import type { ErrorContext, RequestScope, RequestTraceInfo, Telemetry } from './types.js';
import {
  createUnsampledTrace,
  parseInboundTrace,
  toSentryBaggage,
  toUnsampledTraceMeta,
  unsampledTraces,
  type InboundTrace,
} from './unsampled-trace.js';

// Entries of the client's baggage that belong to one trace, not to the client.
const PER_TRACE_BAGGAGE = /^sentry-(trace_id|sample_rand|sample_rate|sampled|transaction)=/;

export async function createSentryTelemetry(settings: TelemetrySettings, logger: Logger): Promise<Telemetry> {
  const Sentry = await import('@sentry/node');
  // What the transport drops (full buffer, rate limit, network error), by `reason:category`.
  const dropped: Record<string, number> = {};
  Sentry.init(buildSentryOptions(Sentry, settings, dropped));
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

  // environment, release, public_key: the same for every trace, so built once by the SDK itself.
  let clientBaggage: string | undefined;
  const toClientBaggage = () =>
    (clientBaggage ??= (toSentryBaggage(Sentry.getTraceData().baggage) ?? '')
      .split(',')
      .filter((entry) => entry !== '' && !PER_TRACE_BAGGAGE.test(entry))
      .join(','));

  const captureError = (error: unknown, context: ErrorContext = {}) =>
    guard('capture', () =>
      Sentry.withScope((scope) => {
        const unsampled = unsampledTraces.getStore();
        if (unsampled) {
          // An unsampled request has no Sentry scope of its own: give the event its trace and tags.
          scope.setPropagationContext({
            traceId: unsampled.traceId,
            parentSpanId: unsampled.parentSpanId,
            propagationSpanId: unsampled.spanId,
            sampleRand: unsampled.sampleRand,
            sampled: false,
          });
          scope.setTags(unsampled.tags);
        }
        const type = error instanceof Error ? error.name : 'Error';
        const data = isPmlError(error) ? error.data : {};
        const serverId = context.serverId ?? (data.serverId as string | undefined);
        const tool = context.tool ?? (data.tool as string | undefined);
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
        Sentry.captureException(error);
      }),
    );

  const traceSampled = <T>(info: RequestTraceInfo, tool: string | undefined, work: WorkFn<T>) =>
    Sentry.startSpan(
      {
        name: toSpanName(info.method, info.target),
        op: MCP_SERVER_OP,
        attributes: buildRequestAttributes(info),
        forceTransaction: true,
      },
      async (span) => {
        const scope = Sentry.getCurrentScope();
        if (tool) scope.setTag(TAG_TOOL, tool);
        scope.setTag(TAG_MCP_METHOD, info.method);
        const setTag = (key: string, value: string) => scope.setTag(key, value);
        const requestScope = buildRequestScope({ span, setTag, tool, settings, captureError, guard });
        try {
          return await work(requestScope);
        } catch (error) {
          guard('status', () => span.setStatus({ code: 2, message: 'internal_error' }));
          throw error;
        }
      },
    );

  const traceUnsampled = <T>(
    info: RequestTraceInfo,
    tool: string | undefined,
    inbound: InboundTrace | undefined,
    sampleRand: number,
    work: WorkFn<T>,
  ) => {
    const trace = createUnsampledTrace(inbound, sampleRand);
    if (tool) trace.tags[TAG_TOOL] = tool;
    trace.tags[TAG_MCP_METHOD] = info.method;
    const setTag = (key: string, value: string) => (trace.tags[key] = value);
    const requestScope = buildRequestScope({ span: undefined, setTag, tool, settings, captureError, guard });
    return unsampledTraces.run(trace, () => work(requestScope));
  };

  return {
    enabled: true,
    toStatus: () => ({ enabled: true, dropped: { ...dropped } }),
    traceRequest: (info, work) => {
      const tool = info.method === 'tools/call' ? info.target : undefined;
      const incoming = readIncomingTrace(info.meta);
      if (incoming) {
        const inbound = parseInboundTrace(incoming.sentryTrace, incoming.baggage);
        // A parent that was not sampled decides for us: nothing of this request will be sent.
        if (inbound?.sampled === false) return traceUnsampled(info, tool, inbound, Math.random(), work);
        return Sentry.continueTrace(incoming, () => traceSampled(info, tool, work));
      }
      // The SDK samples when sampleRand < rate; deciding the same way here first lets an unsampled
      // request skip the SDK entirely (most of telemetry's cost per request).
      const sampleRand = Math.random();
      if (sampleRand >= toSampleRate(settings, info.operation))
        return traceUnsampled(info, tool, undefined, sampleRand, work);
      // Without a new trace per request, every stdio request would share one trace id.
      return Sentry.startNewTrace(() => {
        const scope = Sentry.getCurrentScope();
        scope.setPropagationContext({ ...scope.getPropagationContext(), sampleRand });
        return traceSampled(info, tool, work);
      });
    },
    traceDownstream: (info, work) => {
      const unsampled = unsampledTraces.getStore();
      if (unsampled) {
        let traceMeta: Record<string, string> | undefined;
        guard('propagation', () => (traceMeta = toUnsampledTraceMeta(unsampled, toClientBaggage())));
        return work(traceMeta);
      }
      const propagate = () => {
        let traceMeta: Record<string, string> | undefined;
        guard(
          'propagation',
          () => (traceMeta = toTraceMeta(Sentry.getTraceData() as Record<string, string | undefined>)),
        );
        return work(traceMeta);
      };
      // Outside a sampled request (e.g. discovery at startup) there is no span to be a child of.
      if (!Sentry.getActiveSpan()?.isRecording()) return propagate();
      return Sentry.startSpan(
        {
          name: toSpanName(info.method, info.target),
          op: MCP_CLIENT_OP,
          attributes: {
            [ATTR_MCP_METHOD_NAME]: info.method,
            [ATTR_MCP_SERVER_ID]: info.serverId,
            [ATTR_PML_SERVER]: info.serverId,
            [ATTR_NETWORK_TRANSPORT]: toNetworkTransport(info.transport),
          },
        },
        propagate,
      );
    },
    captureError,
    addBreadcrumb: (breadcrumb) =>
      guard('breadcrumb', () => Sentry.addBreadcrumb({ ...breadcrumb, level: breadcrumb.level ?? 'info' })),
    close: async (timeoutMs) => {
      try {
        await Sentry.close(timeoutMs);
      } catch {
        // Shutting down anyway.
      }
    },
  };
}

type WorkFn<T> = (scope: RequestScope) => Promise<T>;
