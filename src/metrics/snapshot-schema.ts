// The snapshot's shape, as zod schemas: `pml stats` reads files another process wrote (maybe an
// older or newer pml), so the shape is checked at that boundary; the types derive from it.
import { z } from 'zod';

export const latencyStatsSchema = z.object({
  count: z.number(),
  errors: z.number(),
  errorRate: z.number(),
  p50Ms: z.number(),
  p95Ms: z.number(),
  p99Ms: z.number(),
  meanMs: z.number(),
  maxMs: z.number(),
  throughputPerSec: z.number(),
  /** Error counts by type (`tool_error`, a JSON-RPC code, `timeout`...), only when there were errors. */
  errorTypes: z.record(z.string(), z.number()).optional(),
  firstAt: z.string(),
  lastAt: z.string(),
});

export const operationStatsSchema = latencyStatsSchema.extend({
  /** `pml.operation`, e.g. `mcp.tools.call`. */
  operation: z.string(),
  method: z.string(),
  tool: z.string().optional(),
});

export const downstreamStatsSchema = latencyStatsSchema.extend({
  serverId: z.string(),
  /** Absent on the per-server aggregate of all methods. */
  method: z.string().optional(),
});

export const metricsSnapshotSchema = z.object({
  pid: z.number().int(),
  startedAt: z.string(),
  updatedAt: z.string(),
  /** Inbound requests per `pml.operation`, all tools together. */
  operations: z.array(operationStatsSchema),
  /** Inbound tools/call per exposed tool name. */
  tools: z.array(operationStatsSchema),
  /** Requests to each downstream server, all methods together. */
  downstreamServers: z.array(downstreamStatsSchema),
  /** Requests to each downstream server, per method. */
  downstreamRequests: z.array(downstreamStatsSchema),
});

/** What `pml serve` writes to `<dataDir>/stats/<pid>.json`. */
export const statsFileSchema = metricsSnapshotSchema.extend({
  schemaVersion: z.literal(1),
  transport: z.string().optional(),
  configSource: z.string().optional(),
  /** Set by the last write at shutdown; a file without it and a dead pid means the gateway died. */
  stoppedAt: z.string().optional(),
});

export type LatencyStats = z.infer<typeof latencyStatsSchema>;
export type OperationStats = z.infer<typeof operationStatsSchema>;
export type DownstreamStats = z.infer<typeof downstreamStatsSchema>;
export type MetricsSnapshot = z.infer<typeof metricsSnapshotSchema>;
export type StatsFile = z.infer<typeof statsFileSchema>;
