// The options pml passes to Sentry.init: no default integrations, only the few pml uses, and the
// hooks that scrub what leaves. Each default left out was measured or is unused (see below).
import type * as SentryNode from '@sentry/node';
import type { NodeOptions } from '@sentry/node';
import { scrubBreadcrumb, scrubEnvelopeItem } from './scrub-hooks.js';
import type { TelemetrySettings } from './settings.js';
import { createWorkerTransport } from './worker-transport.js';

type SentryModule = typeof SentryNode;
type RecordDroppedEvent = Parameters<NonNullable<NodeOptions['transport']>>[0]['recordDroppedEvent'];
type DropReason = Parameters<RecordDroppedEvent>[0];
type DropCategory = Parameters<RecordDroppedEvent>[1];

export function buildSentryOptions(
  Sentry: SentryModule,
  settings: TelemetrySettings,
  dropped: Record<string, number>,
): NodeOptions {
  return {
    dsn: settings.dsn,
    spotlight: settings.spotlight,
    environment: settings.environment,
    release: settings.release,
    // A stdio server must never print to stdout; the SDK's debug output goes there.
    debug: false,
    maxBreadcrumbs: 100,
    // Left out of the defaults: console (patches console; pml logs through its logger), http (pml
    // makes no node:http calls; it would wrap the transport's own), modules (a list of every
    // package on every event), child process and worker breadcrumbs (pml reports its servers
    // itself), process sessions, request data, local variables, AWS/framework/tracing
    // auto-instrumentation, and fetch (pml puts the trace headers on its HTTP requests to servers
    // itself). What stays costs nothing per request, only per error.
    defaultIntegrations: false,
    integrations: [
      Sentry.linkedErrorsIntegration(),
      Sentry.dedupeIntegration(),
      Sentry.contextLinesIntegration(),
      Sentry.onUncaughtExceptionIntegration(),
      Sentry.onUnhandledRejectionIntegration(),
      // Memory figures cost a process.memoryUsage() call per event (about 0.25 ms).
      Sentry.nodeContextIntegration({ app: false, device: { cpu: true, memory: false } }),
    ],
    // Its module hooks (a loader thread on Node 20) rewrite libraries pml does not use.
    enableRuntimeChannelInjection: false,
    transportOptions: { bufferSize: settings.bufferSize },
    // Told to report its losses to pml as well as to the SDK's client reports. The requests run in a
    // worker thread, except through a proxy or custom CAs, which only the SDK's transport handles.
    transport: (options) => {
      const counted = {
        ...options,
        recordDroppedEvent: (reason: DropReason, category: DropCategory, count = 1) => {
          dropped[`${reason}:${category}`] = (dropped[`${reason}:${category}`] ?? 0) + count;
          options.recordDroppedEvent(reason, category, count);
        },
      };
      if (settings.httpProxy || options.proxy || options.caCerts || options.httpModule)
        return Sentry.makeNodeTransport(counted);
      try {
        return createWorkerTransport(Sentry, counted);
      } catch {
        return Sentry.makeNodeTransport(counted);
      }
    },
    dataCollection: {
      userInfo: false,
      cookies: false,
      httpHeaders: false,
      urlQueryParams: false,
      httpBodies: [],
      mcp: { inputs: false, outputs: false },
      genAI: { inputs: false, outputs: false },
    },
    beforeSend: (event) => scrubEnvelopeItem(event),
    // Transactions do not pass here: pml builds, samples and scrubs them itself (sentry-telemetry.ts).
    beforeBreadcrumb: (breadcrumb) => scrubBreadcrumb(breadcrumb),
  };
}

export function toSampleRate(settings: TelemetrySettings, operation: unknown): number {
  return (
    (typeof operation === 'string' ? settings.operationSampleRates[operation] : undefined) ??
    settings.tracesSampleRate
  );
}
