// One execute_code run: the result cache first, then the code in the sandbox (a `sandbox.execute`
// span) with its tool calls bridged to the SandboxTools port, each checked against the allow-list
// and the approval policy; the output scanned for personal data (breadcrumbs with kinds and counts,
// redacted when configured); failures enriched with what a fix needs, never the context's values.
import { createHash } from 'node:crypto';
import type { SandboxConfig } from '../config/index.js';
import { isPmlError } from '../errors/index.js';
import { scrubString, scrubValue, type PiiCounts } from '../pii/index.js';
import type { RequestScope, Telemetry } from '../telemetry/index.js';
import type { CodeRunner, CodeRunResult, ToolCallRequest } from './code-runner.js';
import { ResultCache, toCacheKey } from './result-cache.js';
import type { SandboxTool, SandboxTools, ToolCallResult } from './sandbox-ports.js';
import { buildServerDeclarations, DESCRIBE_TOOLS } from './tool-declarations.js';
import { buildAllowList, isReadOnly, needsApproval } from './tool-policy.js';
import { toToolResultText } from '../shared/tool-result-text.js';

export interface ExecuteCodeInput {
  code: string;
  context?: Record<string, unknown> | undefined;
  timeout_ms?: number | undefined;
}

export interface ToolCallRecord {
  tool: string;
  status: 'ok' | 'error' | 'refused';
  duration_ms: number;
}

export interface ExecuteCodeResult {
  value: unknown;
  logs: CodeRunResult['logs'];
  logs_truncated: boolean;
  tool_calls: ToolCallRecord[];
  duration_ms: number;
  cache_hit: boolean;
}

export interface CodeSandboxDeps {
  /** Called on the first run (or warmUp): a Deno pool costs processes, so none start for nothing. */
  createRunner: () => CodeRunner;
  tools: SandboxTools;
  telemetry: Telemetry;
  settings: SandboxConfig;
}

const CODE_PREVIEW_CHARS = 200;

export interface RunContext {
  signal: AbortSignal;
  scope?: RequestScope | undefined;
  /** The tools as this run's caller reaches them (its client answers approval questions). */
  tools?: SandboxTools | undefined;
}

export interface CodeSandbox {
  run(input: ExecuteCodeInput, context: RunContext): Promise<ExecuteCodeResult>;
  /** The tools code may call now (the allow-list applied). */
  reachableTools(): SandboxTool[];
  /** Starts the runner (its warm pool) ahead of the first run. */
  warmUp(): void;
  close(): Promise<void>;
}

export function createCodeSandbox(deps: CodeSandboxDeps): CodeSandbox {
  const { telemetry, settings } = deps;
  let runner: CodeRunner | undefined;
  const toRunner = () => (runner ??= deps.createRunner());
  const isAllowed = buildAllowList(settings.allowTools);
  const cache = new ResultCache<Omit<ExecuteCodeResult, 'cache_hit' | 'duration_ms'>>(settings.cacheEntries);
  const reachableTools = (tools = deps.tools) => tools.list().filter((tool) => isAllowed(tool.exposedName));

  async function run(input: ExecuteCodeInput, context: RunContext) {
    const startedAtMs = performance.now();
    const { scope } = context;
    const tools = context.tools ?? deps.tools;
    const reachable = reachableTools(tools);
    const key = toCacheKey(input.code, input.context, toFingerprint(reachable));
    scope?.setData('code_length', input.code.length);
    const cached = cache.get(key);
    telemetry.addBreadcrumb({
      category: 'cache',
      message: `code execution cache ${cached ? 'hit' : 'miss'}`,
    });
    scope?.setTag('cache_hit', String(cached !== undefined));
    if (cached) return { ...cached, cache_hit: true, duration_ms: elapsed(startedAtMs) };

    const timeoutMs = Math.min(input.timeout_ms ?? settings.timeoutMs, settings.timeoutMs);
    const calls: ToolCallRecord[] = [];
    let onlyReadOnly = true;
    const callTool = async (
      request: ToolCallRequest,
      signal: AbortSignal,
      callScope: RequestScope | undefined,
    ) => {
      if (request.name === DESCRIBE_TOOLS) return describeServer(reachable, request.args);
      const tool = findTool(reachable, tools.list(), request, isAllowed);
      const callStartedAtMs = performance.now();
      const record = (status: ToolCallRecord['status']) =>
        calls.push({ tool: tool.exposedName, status, duration_ms: elapsed(callStartedAtMs) });
      if (needsApproval(settings.approval, tool.annotations)) {
        let approved = false;
        try {
          approved = await askFor(tool, request.args, signal);
        } finally {
          if (!approved) record('refused');
        }
        if (!approved)
          throw new Error(
            `The user declined the call of ${tool.exposedName}; do not retry it without asking.`,
          );
      }
      if (!isReadOnly(tool.annotations)) onlyReadOnly = false;
      let result: ToolCallResult;
      try {
        result = await tools.invoke(tool.exposedName, request.args, { signal, scope: callScope });
      } catch (error) {
        record('error');
        // Inside the code a plain Error with pml's message reads best; the class stays on this side.
        throw isPmlError(error) ? new Error(error.message) : error;
      }
      if (result.isError === true) {
        record('error');
        throw new Error(`${tool.exposedName} failed: ${toToolResultText(result)}`);
      }
      record('ok');
      return toToolValue(result);
    };

    const askFor = async (tool: SandboxTool, args: Record<string, unknown>, signal: AbortSignal) => {
      if (!tools.askApproval) {
        throw new Error(
          `${tool.exposedName} can change things, so it needs approval (sandbox.approval is "${settings.approval}"), and this client cannot be asked: it does not support elicitation. To let code call it, set "sandbox": {"approval": "never"} in pml.config.json, or call the tool directly instead of from code.`,
        );
      }
      return tools.askApproval({ tool, args }, signal);
    };

    const outcome = await telemetry
      .traceSpan(
        {
          op: 'sandbox.execute',
          name: 'sandbox.execute',
          attributes: {
            code_length: input.code.length,
            timeout_ms: timeoutMs,
            memory_limit_mb: settings.memoryLimitMb,
          },
          parent: scope,
        },
        (spanScope) =>
          toRunner().run({
            code: input.code,
            context: input.context,
            timeoutMs,
            signal: context.signal,
            callTool: (request, signal) => callTool(request, signal, spanScope),
          }),
      )
      .catch((error: unknown) => {
        throw withRunContext(error, input, timeoutMs, settings.memoryLimitMb);
      });

    const result = scanOutput(
      { value: outcome.value, logs: outcome.logs, logs_truncated: outcome.logsTruncated, tool_calls: calls },
      settings.redactPii,
      telemetry,
    );
    if (onlyReadOnly) cache.set(key, result);
    return { ...result, cache_hit: false, duration_ms: elapsed(startedAtMs) };
  }

  return {
    run,
    reachableTools: () => reachableTools(),
    warmUp: () => void toRunner(),
    close: async () => {
      await runner?.close();
    },
  };
}

function findTool(
  reachable: SandboxTool[],
  all: SandboxTool[],
  request: ToolCallRequest,
  isAllowed: (name: string) => boolean,
): SandboxTool {
  const matches = (tool: SandboxTool) =>
    request.name !== undefined
      ? tool.exposedName === request.name
      : tool.serverId === request.server && tool.originalName === request.tool;
  const tool = reachable.find(matches);
  if (tool) return tool;
  const label = request.name ?? `tools.${request.server}.${request.tool}`;
  const existing = all.find(matches);
  if (existing && !isAllowed(existing.exposedName))
    throw new Error(
      `${existing.exposedName} is not in sandbox.allowTools, so code may not call it; add it (or a pattern such as "${existing.serverId}__*") to sandbox.allowTools in pml.config.json.`,
    );
  const servers = [...new Set(reachable.map((candidate) => candidate.serverId))].join(', ');
  throw new Error(
    `Unknown tool ${label}. Code can call tools of: ${servers || 'no server'}; await tools.call("${DESCRIBE_TOOLS}", { server }) lists them.`,
  );
}

function describeServer(reachable: SandboxTool[], args: Record<string, unknown>): string {
  const server = typeof args.server === 'string' ? args.server : undefined;
  const tools = reachable.filter((tool) => server === undefined || tool.serverId === server);
  if (tools.length === 0) throw new Error(`No server "${server}" that code can reach.`);
  return buildServerDeclarations(
    tools.map((tool) => ({
      serverId: tool.serverId,
      name: tool.originalName,
      description: tool.description,
      inputSchema: tool.inputSchema,
    })),
  );
}

/** What a tool call answers inside code: structured content, else its text (parsed when JSON). */
export function toToolValue(result: ToolCallResult): unknown {
  if (result.structuredContent !== undefined) return result.structuredContent;
  const content = (result.content ?? []) as { type?: string; text?: string }[];
  if (content.length > 0 && content.every((item) => item.type === 'text')) {
    const text = content.map((item) => item.text ?? '').join('\n');
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return content;
}

function scanOutput<T extends { value: unknown; logs: CodeRunResult['logs'] }>(
  result: T,
  redact: boolean,
  telemetry: Telemetry,
): T {
  const counts: PiiCounts = {};
  const value = scrubValue(result.value, { counts });
  const logs = result.logs.map((line) => ({ ...line, text: scrubString(line.text, counts) }));
  const detections = Object.values(counts).reduce((sum, count) => sum + (count ?? 0), 0);
  if (detections > 0) {
    telemetry.addBreadcrumb({
      category: 'pii',
      message: `personal data in code output: ${detections} ${redact ? 'redacted' : 'detected'}`,
      data: { ...counts },
    });
  }
  return redact ? { ...result, value, logs } : result;
}

function withRunContext(
  error: unknown,
  input: ExecuteCodeInput,
  timeoutMs: number,
  memoryLimitMb: number,
): unknown {
  if (!isPmlError(error) || (error.code !== 'SANDBOX_EXECUTION_FAILED' && error.code !== 'TIMEOUT'))
    return error;
  Object.assign(error.data, {
    timeoutMs,
    memoryLimitMb,
    contextKeys: Object.keys(input.context ?? {}),
    codePreview: scrubString(input.code.slice(0, CODE_PREVIEW_CHARS)),
  });
  return error;
}

function toFingerprint(tools: SandboxTool[]): string {
  const hash = createHash('sha256');
  for (const tool of tools)
    hash.update(JSON.stringify([tool.exposedName, tool.inputSchema, tool.annotations ?? null]));
  return hash.digest('hex');
}

function elapsed(startedAtMs: number): number {
  return Math.round((performance.now() - startedAtMs) * 100) / 100;
}
