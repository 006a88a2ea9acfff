// The Sentry implementation of the Telemetry port: the only module that imports @sentry/node, and
// only when telemetry is on (the import and init cost about a second of CPU). Every call is guarded
// so telemetry can fail without the gateway noticing.
import { isPmlError, toErrorMessage } from '../errors/index.js';
import type { Logger } from '../shared/logger.js';
import { scrubBreadcrumb, scrubEnvelopeItem, scrubSpan, scrubTransaction } from './scrub-hooks.js';
import type { TelemetrySettings } from './settings.js';
import { readIncomingTrace, toTraceMeta } from './trace-context.js';
import { buildRequestScope } from './request-scope.js';
import { buildRequestAttributes, toNetworkTransport, toSpanName } from './span-attributes.js';
import type { ErrorContext, Telemetry } from './types.js';

export async function createSentryTelemetry(settings: TelemetrySettings, logger: Logger): Promise<Telemetry> {
  const Sentry = await import('@sentry/node');
  // What the transport drops (full buffer, rate limit, network error), by `reason:category`.
  const dropped: Record<string, number> = {};
  Sentry.init({
    dsn: settings.dsn,
    spotlight: settings.spotlight,
    environment: settings.environment,
    release: settings.release,
    // A stdio server must never print to stdout; the SDK's debug output goes there.
    debug: false,
    // Static transactions: what Spotlight renders, and what our per-request traces map to.
    traceLifecycle: 'static',
    maxBreadcrumbs: 100,
    // HTTP downstream servers get W3C `traceparent` beside `sentry-trace` and `baggage` (added to
    // outgoing fetch by the SDK's instrumentation), as stdio servers get it in `_meta`.
    propagateTraceparent: true,
    // Memory figures cost a process.memoryUsage() call per event (about 0.25 ms): a gateway does not need them.
    integrations: [Sentry.nodeContextIntegration({ app: false, device: { cpu: true, memory: false } })],
    transportOptions: { bufferSize: settings.bufferSize },
    // The SDK's node transport, told to report its losses to pml as well as to its client reports.
    transport: (options) =>
      Sentry.makeNodeTransport({
        ...options,
        recordDroppedEvent: (reason, category, count = 1) => {
          dropped[`${reason}:${category}`] = (dropped[`${reason}:${category}`] ?? 0) + count;
          options.recordDroppedEvent(reason, category, count);
        },
      }),
    dataCollection: {
      userInfo: false,
      cookies: false,
      httpHeaders: false,
      urlQueryParams: false,
      httpBodies: [],
      mcp: { inputs: false, outputs: false },
      genAI: { inputs: false, outputs: false },
    },
    tracesSampler: (context) =>
      context.inheritOrSampleWith(toSampleRate(settings, context.attributes?.['pml.operation'])),
    beforeSend: (event) => scrubEnvelopeItem(event),
    beforeSendTransaction: (event) => scrubTransaction(event),
    beforeBreadcrumb: (breadcrumb) => scrubBreadcrumb(breadcrumb),
    beforeSendSpan: Sentry.withStaticSpan((span) => scrubSpan(span)),
  });
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

  const captureError = (error: unknown, context: ErrorContext = {}) =>
    guard('capture', () =>
      Sentry.withScope((scope) => {
        const type = error instanceof Error ? error.name : 'Error';
        const data = isPmlError(error) ? error.data : {};
        const serverId = context.serverId ?? (data.serverId as string | undefined);
        const tool = context.tool ?? (data.tool as string | undefined);
        scope.setFingerprint([type, serverId ?? '-', tool ?? '-']);
        if (serverId) scope.setTag('server', serverId);
        if (tool) scope.setTag('tool', tool);
        if (isPmlError(error)) {
          scope.setTag('error.code', error.code);
          scope.setContext('pml_error', { code: error.code, ...error.data });
        }
        scope.setContext('mcp', {
          serverId,
          tool,
          transport: context.transport ?? data.transport,
          operation: context.operation,
        });
        Sentry.captureException(error);
      }),
    );

  return {
    enabled: true,
    toStatus: () => ({ enabled: true, dropped: { ...dropped } }),
    traceRequest: (info, work) => {
      const tool = info.method === 'tools/call' ? info.target : undefined;
      const run = () =>
        Sentry.startSpan(
          {
            name: toSpanName(info.method, info.target),
            op: 'mcp.server',
            attributes: buildRequestAttributes(info),
            forceTransaction: true,
          },
          async (span) => {
            const scope = Sentry.getCurrentScope();
            if (tool) scope.setTag('tool', tool);
            scope.setTag('mcp.method', info.method);
            const requestScope = buildRequestScope({ span, scope, tool, settings, captureError, guard });
            try {
              return await work(requestScope);
            } catch (error) {
              guard('status', () => span.setStatus({ code: 2, message: 'internal_error' }));
              throw error;
            }
          },
        );
      const incoming = readIncomingTrace(info.meta);
      if (incoming) return Sentry.continueTrace(incoming, run);
      // Without a new trace per request, every stdio request would share one trace id.
      return Sentry.startNewTrace(() => {
        const scope = Sentry.getCurrentScope();
        const context = scope.getPropagationContext();
        // The SDK samples when sampleRand < rate; deciding the same way here first spares an
        // unsampled request every span operation (most of telemetry's cost per request).
        if (context.sampleRand < toSampleRate(settings, info.operation)) return run();
        scope.setPropagationContext({ ...context, sampled: false });
        if (tool) scope.setTag('tool', tool);
        return work(buildRequestScope({ span: undefined, scope, tool, settings, captureError, guard }));
      });
    },
    traceDownstream: (info, work) => {
      const propagate = () => {
        let traceMeta: Record<string, string> | undefined;
        guard(
          'propagation',
          () => (traceMeta = toTraceMeta(Sentry.getTraceData() as Record<string, string | undefined>)),
        );
        return work(traceMeta);
      };
      // An unsampled request still propagates its trace (with the "not sampled" flag), but a child
      // span nobody will see is cost for nothing.
      if (!Sentry.getActiveSpan()?.isRecording()) return propagate();
      return Sentry.startSpan(
        {
          name: toSpanName(info.method, info.target),
          op: 'mcp.client',
          attributes: {
            'mcp.method.name': info.method,
            'mcp.server.id': info.serverId,
            'pml.server': info.serverId,
            'network.transport': toNetworkTransport(info.transport),
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

function toSampleRate(settings: TelemetrySettings, operation: unknown): number {
  return (
    (typeof operation === 'string' ? settings.operationSampleRates[operation] : undefined) ??
    settings.tracesSampleRate
  );
}
