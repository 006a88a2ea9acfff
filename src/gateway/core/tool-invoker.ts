// The ToolInvoker port: the one way any part of pml calls a downstream tool (tools/call from a
// client, and workflows or sandboxed code with no client session behind them). It routes the exposed
// name to its server, checks the arguments against the tool's schema, forwards with a per-call
// timeout that cancels downstream, and carries `_meta`, progress and the trace.
import type { PrefixMode } from '../../config/index.js';
import { toCancelledError, type ProgressListener, type Tool } from '../../downstream/index.js';
import { waitUntil } from '../../shared/wait-until.js';
import type { RequestScope } from '../../telemetry/index.js';
import type { ArgumentValidator } from './argument-validator.js';
import type { CallsInFlight } from './calls-in-flight.js';
import type { Caller } from './caller.js';
import type { DownstreamSender } from './downstream-sender.js';
import { findServerNamedBy, isUsable, listNotReady, type ServerStatusReader } from './server-readiness.js';
import type { CatalogEntry, ToolCatalog } from './tool-catalog.js';
import { toUnknownToolError, toUnreadyServerError } from './tool-lookup-errors.js';

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
  /**
   * The tool's result (which may be `isError`), or a typed error: ToolNotFoundError, InvalidArgumentsError,
   * MCPServerError (`unavailable` when the server the name names is not ready), DownstreamError,
   * TimeoutError, CancelledError.
   */
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
  servers: ServerStatusReader;
  /** How long a call naming a server still starting waits, from the call, for its tools. */
  startupWaitMs: number;
  toPrefixMode: (serverId: string) => PrefixMode;
  /** Told of every call that got a result (not an error), with who made it. */
  onCalled?: ((name: string, caller: Caller | undefined) => void) | undefined;
}

export function createToolInvoker(deps: ToolInvokerDeps): ToolInvoker {
  const { catalog, validator, send, callsInFlight } = deps;
  const { servers } = deps;
  /** The catalog entry of `name`, or the error that says why there is none (not thrown: lookup answers undefined). */
  const find = async (name: string, signal?: AbortSignal): Promise<CatalogEntry | Error> => {
    const calledAtMs = Date.now();
    // The gateway's own startup window first (free once it is over): a server that connects in it
    // can also rename others' tools, when a name they share gets its prefix.
    if (catalog.find(name) === undefined) await deps.waitForStartup();
    const entry = catalog.find(name);
    if (entry) return entry;
    const statuses = servers.statuses();
    const serverId = findServerNamedBy(
      name,
      statuses.map((status) => status.id),
    );
    if (serverId === undefined) {
      // With no prefix to go by, the tool may belong to any server not ready that shows bare names.
      const notReady = listNotReady(statuses).filter(
        (server) => deps.toPrefixMode(server.server) !== 'always',
      );
      return toUnknownToolError(name, catalog.suggest(name), notReady, Date.now());
    }
    // Counted from the call, not from gateway start: a server still starting gets the full wait.
    await waitUntil(
      () => catalog.find(name) !== undefined || servers.statusOf(serverId)?.state !== 'starting',
      (check) => servers.onChange(check),
      deps.startupWaitMs - (Date.now() - calledAtMs),
      signal,
    );
    if (signal?.aborted) return toCancelledError(serverId, { operation: 'tools/call', tool: name });
    const found = catalog.find(name);
    if (found) return found;
    const status = servers.statusOf(serverId);
    if (status && !isUsable(status.state))
      return toUnreadyServerError(status, name, catalog.suggest(name), Date.now());
    return toUnknownToolError(name, catalog.suggest(name), [], Date.now());
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
      return entry instanceof Error ? undefined : describe(entry);
    },
    list: () => catalog.toEntries().map(describe),
    async invoke(name, args, options = {}) {
      const entry = await find(name, options.signal);
      if (entry instanceof Error) throw entry;
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
