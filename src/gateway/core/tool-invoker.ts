// The ToolInvoker port: the one way any part of pml calls a downstream tool (tools/call from a
// client, and workflows or sandboxed code with no client session behind them). It routes the exposed
// name to its server, checks the arguments against the tool's schema, forwards with a per-call
// timeout that cancels downstream, and carries `_meta`, progress and the trace.
import { ToolNotFoundError } from '../../errors/index.js';
import type { ProgressListener, Tool } from '../../downstream/index.js';
import type { RequestScope } from '../../telemetry/index.js';
import type { ArgumentValidator } from './argument-validator.js';
import type { CallsInFlight } from './calls-in-flight.js';
import type { Caller } from './caller.js';
import type { DownstreamSender } from './downstream-sender.js';
import type { CatalogEntry, ToolCatalog } from './tool-catalog.js';

export type ToolCallResult = Record<string, unknown> & { content?: unknown[]; isError?: boolean };

export interface InvokeOptions {
  signal?: AbortSignal | undefined;
  onProgress?: ProgressListener | undefined;
  /** The caller's `_meta`, forwarded as is (pml sets its own progress token and trace). */
  meta?: Record<string, unknown> | undefined;
  caller?: Caller | undefined;
  /** Overrides the server's callTimeoutMs (a workflow task's own limit). */
  timeoutMs?: number | undefined;
  /** The inbound request the call serves, so its `mcp.client` span and trace belong to it. */
  scope?: RequestScope | undefined;
  /** Told which server the tool lives on as soon as it is known, before the call leaves. */
  onRouted?: ((serverId: string) => void) | undefined;
}

/** A tool as a caller sees it before calling: where it lives, its definition, its argument check. */
export interface ToolDescription {
  serverId: string;
  /** The tool's own name on its server (the exposed name may carry a prefix). */
  originalName: string;
  /** The definition as tools/list shows it (exposed name). */
  tool: Tool;
  /** Schema problems of `args` as readable lines; empty when they fit. */
  problemsWith(args: Record<string, unknown>): string[];
}

export interface ToolInvoker {
  /** The tool under its exposed name (waiting for servers still starting), or undefined. */
  lookup(name: string): Promise<ToolDescription | undefined>;
  /** Every tool that can be called now, in catalog order. */
  list(): ToolDescription[];
  /** The tool's result (which may be `isError`), or a typed error: ToolNotFoundError, InvalidArgumentsError, MCPServerError, DownstreamError, TimeoutError, CancelledError. */
  invoke(
    name: string,
    args: Record<string, unknown> | undefined,
    options?: InvokeOptions,
  ): Promise<ToolCallResult>;
}

export interface ToolInvokerDeps {
  catalog: ToolCatalog;
  validator: ArgumentValidator;
  send: DownstreamSender;
  callsInFlight: CallsInFlight;
  /** Resolves once the servers still starting have had their chance (bounded by startupWaitMs). */
  waitForStartup: () => Promise<void>;
  /** Told of every call that got a result (not an error), with who made it. */
  onCalled?: ((name: string, caller: Caller | undefined) => void) | undefined;
}

export function createToolInvoker(deps: ToolInvokerDeps): ToolInvoker {
  const { catalog, validator, send, callsInFlight } = deps;
  const find = async (name: string) => {
    const entry = catalog.find(name);
    if (entry) return entry;
    await deps.waitForStartup();
    return catalog.find(name);
  };
  const describe = (entry: CatalogEntry): ToolDescription => ({
    serverId: entry.serverId,
    originalName: entry.tool.name,
    tool: { ...entry.tool, name: entry.exposedName },
    problemsWith: (args) => validator.findProblems(entry.tool.inputSchema, args),
  });
  return {
    async lookup(name) {
      const entry = await find(name);
      return entry ? describe(entry) : undefined;
    },
    list: () => catalog.toEntries().map(describe),
    async invoke(name, args, options = {}) {
      const entry = await find(name);
      if (!entry) throw toUnknownToolError(catalog, name);
      const { serverId, tool } = entry;
      options.onRouted?.(serverId);
      validator.assertFits(name, tool.inputSchema, args ?? {}, serverId);
      const meta = options.meta && Object.keys(options.meta).length > 0 ? options.meta : undefined;
      const endCall = callsInFlight.begin(serverId, options.caller?.clientId);
      try {
        const result = (await send(
          serverId,
          {
            method: 'tools/call',
            params: { name: tool.name, arguments: args, ...(meta ? { _meta: meta } : {}) },
          },
          {
            signal: options.signal,
            onprogress: options.onProgress,
            timeoutMs: options.timeoutMs,
            tool: name,
            target: tool.name,
            parent: options.scope,
          },
        )) as ToolCallResult;
        if (result.isError !== true) deps.onCalled?.(name, options.caller);
        return result;
      } finally {
        endCall();
      }
    },
  };
}

function toUnknownToolError(catalog: ToolCatalog, name: string): ToolNotFoundError {
  const suggestions = catalog.suggest(name);
  const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?` : '';
  return new ToolNotFoundError(`Unknown tool "${name}".${hint} Call tools/list to see the available tools.`, {
    tool: name,
    operation: 'tools/call',
    suggestions,
  });
}
