// The Telemetry port: what the gateway asks of telemetry. The Sentry implementation and the no-op one
// both fit it, so nothing outside this folder knows Sentry exists.

export type NetworkTransport = 'stdio' | 'http' | 'memory';

export interface RequestTraceInfo {
  method: string;
  /** The tool, prompt or URI the request is about, if any. */
  target?: string | undefined;
  /** The ADR's transaction name: mcp.tools.list, mcp.tools.call, ... */
  operation: string;
  transport: NetworkTransport;
  sessionId?: string | undefined;
  requestId?: string | number | undefined;
  /** The MCP revision the request speaks (2025-11-25 of the session, or the request's own). */
  protocolVersion?: string | undefined;
  /** The inbound `params._meta`, which may carry a trace to continue. */
  meta?: Record<string, unknown> | undefined;
}

export interface RequestScope {
  setServer(serverId: string): void;
  /** A failed tool call; with `telemetry.captureToolErrors` the message also becomes an issue. */
  markToolError(message?: string): void;
  setData(key: string, value: string | number | boolean): void;
  /** A tag of the request: on its transaction and on every error captured during it. */
  setTag(key: string, value: string): void;
  /** Tool arguments: recorded only with `telemetry.recordInputs`, and scrubbed. */
  recordInput(args: unknown): void;
  /** Tool result: recorded only with `telemetry.recordOutputs`, and scrubbed. */
  recordOutput(result: unknown): void;
}

export interface DownstreamTraceInfo {
  serverId: string;
  method: string;
  target?: string | undefined;
  transport: 'stdio' | 'http';
  /** The inbound request this one serves: its span nests under that request's, its trace goes on. */
  parent?: RequestScope | undefined;
}

/** A span inside a request: `dag.execute`, `dag.layer.execute`, `vector.search`, `db.query`, ... */
export interface SpanInfo {
  op: string;
  name: string;
  attributes?: Record<string, string | number | boolean> | undefined;
  /** The request, or the span inside it, this one nests under. Without one nothing is recorded. */
  parent?: RequestScope | undefined;
}

export interface ErrorContext {
  serverId?: string | undefined;
  tool?: string | undefined;
  transport?: string | undefined;
  operation?: string | undefined;
  /** The request the error happened in: the event joins its trace and carries its tags. */
  scope?: RequestScope | undefined;
}

export interface Breadcrumb {
  category: string;
  message: string;
  level?: 'debug' | 'info' | 'warning' | 'error';
  data?: Record<string, unknown>;
}

export interface Telemetry {
  readonly enabled: boolean;
  traceRequest<T>(info: RequestTraceInfo, work: (scope: RequestScope) => Promise<T>): Promise<T>;
  /** Runs a downstream request in an `mcp.client` span; `traceMeta` goes into the request's `_meta`. */
  traceDownstream<T>(
    info: DownstreamTraceInfo,
    work: (traceMeta: Record<string, string> | undefined) => Promise<T>,
  ): Promise<T>;
  /**
   * Runs `work` in a child span of `info.parent`. `work` gets the scope of that span, the parent to
   * hand on to spans and downstream calls made inside it (or `info.parent` itself when the request is
   * not sampled, `undefined` when there is no parent).
   */
  traceSpan<T>(info: SpanInfo, work: (scope: RequestScope | undefined) => Promise<T>): Promise<T>;
  captureError(error: unknown, context?: ErrorContext): void;
  addBreadcrumb(breadcrumb: Breadcrumb): void;
  /** Whether telemetry is on and what it had to drop (full buffer, rate limits, network errors). */
  toStatus(): TelemetryStatus;
  /** Sends what is buffered, waiting at most `timeoutMs`. */
  close(timeoutMs: number): Promise<void>;
}

export interface TelemetryStatus {
  enabled: boolean;
  /** Envelope items dropped, by `reason:category` as Sentry names them (e.g. `queue_overflow:transaction`). */
  dropped: Record<string, number>;
}
