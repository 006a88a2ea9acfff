// Public door of telemetry: resolve settings, then init Sentry only when a DSN or Spotlight is set.
import type { Logger } from '../shared/logger.js';
import { noopTelemetry } from './noop-telemetry.js';
import { isTelemetryWanted, type TelemetrySettings } from './settings.js';
import type { Telemetry } from './types.js';

export { resolveTelemetrySettings, parseOperationRates } from './settings.js';
export type { TelemetrySettings, TelemetryFileConfig } from './settings.js';
export { noopTelemetry } from './noop-telemetry.js';
export {
  MCP_SERVER_OP,
  MCP_CLIENT_OP,
  ATTR_MCP_METHOD_NAME,
  ATTR_MCP_TOOL_NAME,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_MCP_SESSION_ID,
  ATTR_MCP_REQUEST_ID,
  ATTR_NETWORK_TRANSPORT,
  ATTR_ERROR_TYPE,
  ATTR_MCP_SERVER_ID,
  ATTR_PML_OPERATION,
  ATTR_PML_SERVER,
  ATTR_PML_TOOLS_COUNT,
  ATTR_PML_TOOLS_MODE,
  ATTR_SENTRY_ORIGIN,
  ATTR_MCP_REQUEST_ARGUMENT_PREFIX,
  ATTR_MCP_TOOL_RESULT_CONTENT,
  ATTR_MCP_TOOL_RESULT_CONTENT_COUNT,
  TAG_TOOL,
  TAG_SERVER,
  TAG_MCP_METHOD,
  TAG_ERROR_CODE,
  CONTEXT_PML_ERROR,
  CONTEXT_MCP,
  SENTRY_ORIGIN_PML_MCP_SERVER,
  GEN_AI_OPERATION_EXECUTE_TOOL,
  ERROR_TYPE_TOOL_ERROR,
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
