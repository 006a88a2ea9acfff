// Public door of telemetry: resolve settings, then init Sentry only when a DSN or Spotlight is set.
import type { Logger } from '../shared/logger.js';
import { noopTelemetry } from './noop-telemetry.js';
import { isTelemetryWanted, type TelemetrySettings } from './settings.js';
import type { Telemetry } from './types.js';

export { resolveTelemetrySettings, parseOperationRates } from './settings.js';
export type { TelemetrySettings, TelemetryFileConfig } from './settings.js';
export { noopTelemetry } from './noop-telemetry.js';
// The attribute names the rest of pml sets on a request's span; the full catalog is attribute-names.ts.
export {
  ATTR_ERROR_TYPE,
  ATTR_PML_TOOLS_COUNT,
  ATTR_PML_TOOLS_MODE,
  ATTR_RPC_RESPONSE_STATUS_CODE,
} from './attribute-names.js';
export type {
  Telemetry,
  NetworkTransport,
  RequestScope,
  RequestTraceInfo,
  DownstreamTraceInfo,
  ErrorContext,
  Breadcrumb,
} from './types.js';

export async function initTelemetry(settings: TelemetrySettings, logger: Logger): Promise<Telemetry> {
  if (!isTelemetryWanted(settings)) {
    logger.info('telemetry off: set SENTRY_DSN, or SENTRY_SPOTLIGHT=1 for the local Spotlight UI');
    return noopTelemetry;
  }
  if (typeof settings.spotlight === 'string' && !settings.spotlight.endsWith('/stream')) {
    // The SDK accepts such a URL and then delivers nothing, without a word.
    logger.warn(
      `SENTRY_SPOTLIGHT=${settings.spotlight} does not end in /stream, so Spotlight will receive nothing; use e.g. http://localhost:8969/stream, or 1 for that default`,
    );
  }
  const { createSentryTelemetry } = await import('./sentry-telemetry.js');
  return createSentryTelemetry(settings, logger);
}
