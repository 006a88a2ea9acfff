// Checks the params of each inbound method before a handler runs. A malformed request is the
// caller's mistake: it gets InvalidParams (-32602) and one readable sentence, not a zod dump.
import { z, type ZodType } from 'zod';
import { InvalidParamsError } from '../../errors/index.js';

const meta = z.record(z.string(), z.unknown()).optional();
const uriParams = z.object({ uri: z.string(), _meta: meta }).passthrough();

export const LOG_LEVELS = [
  'debug',
  'info',
  'notice',
  'warning',
  'error',
  'critical',
  'alert',
  'emergency',
] as const;
export type McpLogLevel = (typeof LOG_LEVELS)[number];

export const PARAMS = {
  'tools/list': z.object({ cursor: z.string().optional(), _meta: meta }).passthrough().prefault({}),
  'resources/list': z.object({ cursor: z.string().optional(), _meta: meta }).passthrough().prefault({}),
  'resources/templates/list': z
    .object({ cursor: z.string().optional(), _meta: meta })
    .passthrough()
    .prefault({}),
  'resources/read': uriParams,
  'resources/subscribe': uriParams,
  'resources/unsubscribe': uriParams,
  'prompts/list': z.object({ cursor: z.string().optional(), _meta: meta }).passthrough().prefault({}),
  'prompts/get': z
    .object({ name: z.string(), arguments: z.record(z.string(), z.string()).optional(), _meta: meta })
    .passthrough(),
  'completion/complete': z
    .object({
      ref: z.discriminatedUnion('type', [
        z.object({ type: z.literal('ref/prompt'), name: z.string() }).passthrough(),
        z.object({ type: z.literal('ref/resource'), uri: z.string() }).passthrough(),
      ]),
      argument: z.object({ name: z.string(), value: z.string() }).passthrough(),
      _meta: meta,
    })
    .passthrough(),
  'logging/setLevel': z.object({ level: z.enum(LOG_LEVELS), _meta: meta }).passthrough(),
} satisfies Record<string, ZodType>;

export type InboundMethod = keyof typeof PARAMS;
export type ParamsOf<M extends InboundMethod> = z.infer<(typeof PARAMS)[M]>;

export function parseParams<M extends InboundMethod>(method: M, params: unknown): ParamsOf<M> {
  // The input is reported so that a message can say what was sent instead of the expected type.
  const parsed = PARAMS[method].safeParse(params, { reportInput: true });
  if (parsed.success) return parsed.data as ParamsOf<M>;
  const issue = parsed.error.issues[0]!;
  const path = issue.path.join('.');
  throw new InvalidParamsError(`Invalid ${method} request: ${toSentence(issue, path)}.`, { method, path });
}

function toSentence(issue: z.core.$ZodIssue, path: string): string {
  const subject = path ? `params.${path}` : 'params';
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `${subject} is required (a ${issue.expected})`
        : `${subject} must be a ${issue.expected}, not a ${toTypeName(issue.input)}`;
    case 'invalid_value':
      return `${subject} must be one of ${issue.values.map(String).join(', ')}, not ${JSON.stringify(issue.input)}`;
    case 'invalid_union': {
      // A discriminated union's issue carries its options at run time, not in its type.
      const { options } = issue as { options?: unknown[] };
      return options
        ? `${subject} must be one of ${options.map((option) => JSON.stringify(option)).join(', ')}`
        : `${subject}: ${issue.message}`;
    }
    default:
      return `${subject}: ${issue.message}`;
  }
}

function toTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export type ToolCallParams = {
  name: string;
  arguments?: Record<string, unknown>;
  _meta?: Record<string, unknown>;
};

/** tools/call is the hot path: checked by hand, about ten times cheaper than a zod parse. */
export function parseToolCallParams(params: unknown): ToolCallParams {
  const candidate = params as Partial<ToolCallParams> | undefined;
  const problem =
    typeof candidate?.name !== 'string'
      ? ['name', 'params.name must be the tool name (a string)']
      : !isOptionalObject(candidate.arguments)
        ? ['arguments', 'params.arguments must be an object']
        : !isOptionalObject(candidate._meta)
          ? ['_meta', 'params._meta must be an object']
          : undefined;
  if (problem)
    throw new InvalidParamsError(`Invalid tools/call request: ${problem[1]}.`, {
      method: 'tools/call',
      path: problem[0]!,
    });
  return candidate as ToolCallParams;
}

function isOptionalObject(value: unknown): boolean {
  return value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value));
}
