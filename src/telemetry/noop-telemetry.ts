// Telemetry when no DSN and no Spotlight are set: every call costs a function call and nothing else.
import type { RequestScope, Telemetry } from './types.js';

const noopScope: RequestScope = {
  setServer: () => {},
  markToolError: () => {},
  setData: () => {},
  setTag: () => {},
  recordInput: () => {},
  recordOutput: () => {},
};

export const noopTelemetry: Telemetry = {
  enabled: false,
  traceRequest: (_info, work) => work(noopScope),
  traceDownstream: (_info, work) => work(undefined),
  traceSpan: (info, work) => work(info.parent),
  captureError: () => {},
  addBreadcrumb: () => {},
  toStatus: () => ({ enabled: false, dropped: {} }),
  close: async () => {},
};
