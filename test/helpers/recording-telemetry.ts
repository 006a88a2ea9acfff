// A Telemetry that records instead of sending: the errors it is asked to capture and the requests it
// traces, so a test can tell a cancellation from a server failure without Sentry.
import type {
  DownstreamTraceInfo,
  ErrorContext,
  RequestScope,
  RequestTraceInfo,
  Telemetry,
} from '../../src/telemetry/index.js';

export interface RecordingTelemetry extends Telemetry {
  captured: { error: unknown; context: ErrorContext | undefined }[];
  /** Inbound requests whose handling has ended, in the order they ended. */
  finishedRequests: RequestTraceInfo[];
  /** Requests sent to servers, recorded just before they leave. */
  downstreamRequests: DownstreamTraceInfo[];
}

const scope: RequestScope = {
  setServer: () => {},
  markToolError: () => {},
  setData: () => {},
  setTag: () => {},
  recordInput: () => {},
  recordOutput: () => {},
};

export function createRecordingTelemetry(): RecordingTelemetry {
  const captured: RecordingTelemetry['captured'] = [];
  const finishedRequests: RequestTraceInfo[] = [];
  const downstreamRequests: DownstreamTraceInfo[] = [];
  return {
    enabled: true,
    captured,
    finishedRequests,
    downstreamRequests,
    async traceRequest(info, work) {
      try {
        return await work(scope);
      } finally {
        finishedRequests.push(info);
      }
    },
    traceSpan: (info, work) => work(info.parent),
    traceDownstream(info, work) {
      downstreamRequests.push(info);
      return work(undefined);
    },
    captureError(error, context) {
      captured.push({ error, context });
    },
    addBreadcrumb: () => {},
    toStatus: () => ({ enabled: true, dropped: {} }),
    close: async () => {},
  };
}
