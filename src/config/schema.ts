// The zod schema of pml.config.json: `mcpServers` exactly as Claude Desktop writes it, and pml's
// own keys beside it. Objects are strict so a typo is an error that names the key.
import { z } from 'zod';

export const PREFIX_MODES = ['always', 'on-collision', 'never'] as const;
export type PrefixMode = (typeof PREFIX_MODES)[number];
// What tools/list shows: every proxied tool, or only the meta-tools of search or code mode.
export const TOOLS_MODES = ['all', 'search', 'code'] as const;
export type ToolsMode = (typeof TOOLS_MODES)[number];

const positiveMs = z.number().int().positive();

// Fields pml adds to a server entry; Claude Desktop ignores them, so one file serves both.
const serverOverrides = {
  toolPrefix: z.enum(PREFIX_MODES).optional(),
  callTimeoutMs: positiveMs.optional(),
  connectTimeoutMs: positiveMs.optional(),
  disabled: z.boolean().optional(),
};

export const stdioServerSchema = z
  .object({
    type: z.literal('stdio').optional(),
    command: z.string().min(1),
    args: z.array(z.string()).default([]),
    env: z.record(z.string()).default({}),
    cwd: z.string().optional(),
    ...serverOverrides,
  })
  .strict();

export const httpServerSchema = z
  .object({
    type: z.enum(['http', 'streamable-http', 'streamableHttp']).optional(),
    url: z.string().url(),
    headers: z.record(z.string()).default({}),
    ...serverOverrides,
  })
  .strict();

export const gatewaySchema = z
  .object({
    toolPrefix: z.enum(PREFIX_MODES).default('always'),
    toolsMode: z.enum(TOOLS_MODES).default('all'),
    connectTimeoutMs: positiveMs.default(15_000),
    callTimeoutMs: positiveMs.default(60_000),
    startupWaitMs: z.number().int().nonnegative().default(5_000),
    healthCheckIntervalMs: positiveMs.default(30_000),
    healthCheckTimeoutMs: positiveMs.default(5_000),
    // SDK-based servers drop lines over 10 MiB and never answer; refusing earlier gives a clear error.
    maxMessageBytes: positiveMs.default(8 * 1024 * 1024),
    restart: z
      .object({
        maxAttempts: z.number().int().nonnegative().default(5),
        initialDelayMs: positiveMs.default(500),
        maxDelayMs: positiveMs.default(30_000),
        stableAfterMs: positiveMs.default(60_000),
      })
      .strict()
      .default({}),
    http: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65_535).default(3747),
        token: z.string().min(1).optional(),
        allowedHosts: z.array(z.string()).default([]),
        allowedOrigins: z.array(z.string()).default([]),
      })
      .strict()
      .default({}),
  })
  .strict()
  .default({});

// Keys of features this pml does not have yet are refused: a setting that loads and does nothing
// would be worse than an error. Their schemas arrive with the features.
const laterFeature = (what: string) =>
  z
    .unknown()
    .optional()
    .superRefine((value, context) => {
      if (value === undefined) return;
      context.addIssue({
        code: z.ZodIssueCode.custom,
        message: `${what} is not in this version of pml yet, so this setting would do nothing; remove the key`,
      });
    });

export const configFileSchema = z
  .object({
    $schema: z.string().optional(),
    mcpServers: z.record(z.unknown()).default({}),
    gateway: gatewaySchema,
    search: laterFeature('semantic tool search'),
    sandbox: laterFeature('the code sandbox'),
    telemetry: z
      .object({
        recordInputs: z.boolean().optional(),
        recordOutputs: z.boolean().optional(),
        captureToolErrors: z.boolean().optional(),
        sampleRates: z.record(z.number().min(0).max(1)).optional(),
        bufferSize: z.number().int().positive().optional(),
      })
      .strict()
      .default({}),
    storage: laterFeature('storage'),
  })
  .strict();

export type StdioServerEntry = z.infer<typeof stdioServerSchema>;
export type HttpServerEntry = z.infer<typeof httpServerSchema>;
export type GatewayConfig = z.infer<typeof gatewaySchema>;
export type ConfigFile = z.infer<typeof configFileSchema>;
export type TelemetryConfig = ConfigFile['telemetry'];
