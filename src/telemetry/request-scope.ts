// What a request handler can tell its root span: the server it went to, a tool error, and, only
// when the config switches them on, the tool's arguments and result (scrubbed even then).
import { ToolExecutionError } from '../errors/index.js';
import { scrubValue } from '../pii/index.js';
import {
  ATTR_ERROR_TYPE,
  ATTR_MCP_REQUEST_ARGUMENT_PREFIX,
  ATTR_MCP_SERVER_ID,
  ATTR_MCP_TOOL_RESULT_CONTENT,
  ATTR_MCP_TOOL_RESULT_CONTENT_COUNT,
  ERROR_TYPE_TOOL_ERROR,
  TAG_SERVER,
} from './attribute-names.js';
import type { RecordedSpan } from './recorded-span.js';
import type { TelemetrySettings } from './settings.js';
import type { RequestScope } from './types.js';

const MAX_RECORDED_CHARS = 1024;

export interface RequestScopeDeps {
  /** Undefined for a request that is not sampled: tags and error capture still work. */
  span: RecordedSpan | undefined;
  /** Sets a tag of the request (on its transaction and on errors captured during it). */
  setTag: (key: string, value: string) => void;
  tool: string | undefined;
  settings: TelemetrySettings;
  captureError: (error: unknown, context: { serverId?: string; tool?: string }) => void;
  guard: (what: string, action: () => void) => void;
}

export function buildRequestScope(deps: RequestScopeDeps): RequestScope {
  const { span, settings, guard } = deps;
  let serverId: string | undefined;
  return {
    setServer: (id) =>
      guard('server', () => {
        serverId = id;
        deps.setTag(TAG_SERVER, id);
        span?.setAttribute(ATTR_MCP_SERVER_ID, id);
      }),
    markToolError: (message) =>
      guard('tool error', () => {
        span?.setAttribute(ATTR_ERROR_TYPE, ERROR_TYPE_TOOL_ERROR);
        span?.setError();
        if (settings.captureToolErrors && message !== undefined) {
          deps.captureError(new ToolExecutionError(message, { tool: deps.tool ?? 'unknown', serverId }), {
            serverId,
            tool: deps.tool,
          });
        }
      }),
    setTag: (key, value) => guard('tag', () => deps.setTag(key, value)),
    setData: (key, value) => {
      if (span) guard('data', () => span.setAttribute(key, value));
    },
    recordInput: (args) => {
      if (!span || !settings.recordInputs || args === null || typeof args !== 'object') return;
      guard('input', () => {
        for (const [key, value] of Object.entries(scrubValue(args as Record<string, unknown>))) {
          span.setAttribute(`${ATTR_MCP_REQUEST_ARGUMENT_PREFIX}${key}`, toRecordedText(value));
        }
      });
    },
    recordOutput: (result) => {
      if (!span || !settings.recordOutputs) return;
      guard('output', () => {
        const content = (result as { content?: unknown[] } | undefined)?.content ?? [];
        span.setAttribute(ATTR_MCP_TOOL_RESULT_CONTENT_COUNT, content.length);
        span.setAttribute(ATTR_MCP_TOOL_RESULT_CONTENT, toRecordedText(scrubValue(content)));
      });
    },
  };
}

function toRecordedText(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_RECORDED_CHARS ? `${text.slice(0, MAX_RECORDED_CHARS)}…` : text;
}
