// The zod schema of pml.config.json: `mcpServers` exactly as Claude Desktop writes it, and pml's
// own keys beside it. Objects are strict so a typo is an error that names the key.
import { z } from 'zod';

export const PREFIX_MODES = ['always', 'on-collision', 'never'] as const;
export type PrefixMode = (typeof PREFIX_MODES)[number];
// What tools/list shows: every proxied tool, or only the meta-tools of search or code mode.
export const TOOLS_MODES = ['all', 'search', 'code'] as const;
export type ToolsMode = (typeof TOOLS_MODES)[number];

const positiveMs = z.number().int().positive();

// Which MCP era pml speaks with a server: probed once (`auto`), or pinned by the config.
export const SERVER_PROTOCOLS = ['auto', '2025-11-25', '2026-07-28'] as const;
export type ServerProtocol = (typeof SERVER_PROTOCOLS)[number];

// Fields pml adds to a server entry; Claude Desktop ignores them, so one file serves both.
const serverOverrides = {
  toolPrefix: z.enum(PREFIX_MODES).optional(),
  callTimeoutMs: positiveMs.optional(),
  connectTimeoutMs: positiveMs.optional(),
  disabled: z.boolean().optional(),
  protocol: z.enum(SERVER_PROTOCOLS).optional(),
};

export const stdioServerSchema = z
  .object({
    type: z.literal('stdio').optional(),
    command: z.string().min(1),
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).default({}),
    cwd: z.string().optional(),
    ...serverOverrides,
  })
  .strict();

export const httpServerSchema = z
  .object({
    // `sse` is the 2024-11-05 HTTP+SSE transport (a GET event stream plus a POST endpoint it names).
    type: z.enum(['http', 'streamable-http', 'streamableHttp', 'sse']).optional(),
    url: z.string().url(),
    headers: z.record(z.string(), z.string()).default({}),
    ...serverOverrides,
  })
  .strict();

// A section left out is parsed as {} (`.prefault`), so its own defaults fill in; zod 4's `.default({})`
// would hand back the bare {}.
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
      .prefault({}),
    http: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65_535).default(3747),
        token: z.string().min(1).optional(),
        allowedHosts: z.array(z.string()).default([]),
        allowedOrigins: z.array(z.string()).default([]),
        // A 2025-11-25 session with no request for this long is ended (as a DELETE would end it).
        sessionIdleMs: positiveMs.default(30 * 60_000),
        // Live 2025-11-25 sessions at once; an initialize past it is refused with a clear error.
        maxSessions: z.number().int().positive().default(1_000),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

// Whether a tool call from sandboxed code needs a person's yes first: never, for tools that change
// things (destructiveHint, or not readOnlyHint), or for every call.
export const SANDBOX_APPROVALS = ['never', 'writes', 'always'] as const;
export type SandboxApproval = (typeof SANDBOX_APPROVALS)[number];

export const sandboxSchema = z
  .object({
    approval: z.enum(SANDBOX_APPROVALS).default('writes'),
    // Tools code may call, by exposed name; "*" matches any run of characters ("memory__*").
    allowTools: z.array(z.string().min(1)).default(['*']),
    timeoutMs: positiveMs.max(300_000).default(30_000),
    memoryLimitMb: z.number().int().min(16).max(4096).default(128),
    maxToolCalls: z.number().int().positive().max(10_000).default(100),
    // Warm Deno processes kept ready; each serves one run. 0 starts one per run (slower, lighter).
    poolSize: z.number().int().min(0).max(8).default(2),
    // Replace personal data and secrets found in results and logs before they reach the client.
    redactPii: z.boolean().default(false),
    // Results of runs that called no tool or only read-only ones, kept for identical runs.
    cacheEntries: z.number().int().nonnegative().max(10_000).default(100),
  })
  .strict()
  .prefault({});

// How search_tools embeds text: Universal Sentence Encoder lite in process (offline, the weights
// ship with pml), any OpenAI-compatible /v1/embeddings endpoint (Ollama, LM Studio, vLLM), or none
// (lexical ranking only, and no model in memory).
const openAiEmbedderSchema = z
  .object({
    type: z.literal('openai'),
    baseUrl: z.string().url(),
    model: z.string().min(1),
    apiKey: z.string().min(1).optional(),
    timeoutMs: positiveMs.optional(),
  })
  .strict();

export const searchSchema = z
  .object({
    embedder: z
      .union([z.enum(['use-lite', 'none']), openAiEmbedderSchema], {
        error: 'must be "use-lite", "none" or {"type": "openai", "baseUrl": "http://…", "model": "…"}',
      })
      .default('use-lite'),
    // A search waits this long at most for tool vectors still being computed, then ranks lexically.
    indexWaitMs: z.number().int().nonnegative().max(120_000).default(15_000),
  })
  .strict()
  .prefault({});

export const storageSchema = z
  .object({
    // false: nothing persists (embeddings are recomputed at each start, runs and signals are not kept).
    enabled: z.boolean().default(true),
    // A PostgreSQL server instead of PGlite in the data dir; DATABASE_URL in the environment wins.
    databaseUrl: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
  })
  .strict()
  .prefault({});

export const configFileSchema = z
  .object({
    $schema: z.string().optional(),
    mcpServers: z.record(z.string(), z.unknown()).default({}),
    gateway: gatewaySchema,
    search: searchSchema,
    sandbox: sandboxSchema,
    telemetry: z
      .object({
        recordInputs: z.boolean().optional(),
        recordOutputs: z.boolean().optional(),
        captureToolErrors: z.boolean().optional(),
        sampleRates: z.record(z.string(), z.number().min(0).max(1)).optional(),
        bufferSize: z.number().int().positive().optional(),
      })
      .strict()
      .prefault({}),
    storage: storageSchema,
  })
  .strict();

export type StdioServerEntry = z.infer<typeof stdioServerSchema>;
export type HttpServerEntry = z.infer<typeof httpServerSchema>;
export type GatewayConfig = z.infer<typeof gatewaySchema>;
export type ConfigFile = z.infer<typeof configFileSchema>;
export type TelemetryConfig = ConfigFile['telemetry'];
export type SandboxConfig = z.infer<typeof sandboxSchema>;
export type SearchConfig = z.infer<typeof searchSchema>;
export type StorageConfig = z.infer<typeof storageSchema>;
