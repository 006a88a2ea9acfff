// The resolved configuration: every default filled in, every ${VAR} expanded, ready to use.
import type {
  GatewayConfig,
  PrefixMode,
  SandboxConfig,
  ServerProtocol,
  SearchConfig,
  StorageConfig,
  TelemetryConfig,
} from './schema.js';

interface ServerCommon {
  id: string;
  toolPrefix: PrefixMode | undefined;
  callTimeoutMs: number;
  connectTimeoutMs: number;
  /** The era to speak: `auto` probes with server/discover; a pinned one never falls back. */
  protocol: ServerProtocol;
}

export interface StdioServerConfig extends ServerCommon {
  transport: 'stdio';
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string | undefined;
}

export interface HttpServerConfig extends ServerCommon {
  transport: 'http';
  /** `streamable` (Streamable HTTP, the default) or `sse` (the 2024-11-05 HTTP+SSE transport). */
  httpKind: 'streamable' | 'sse';
  url: string;
  headers: Record<string, string>;
}

export type ServerConfig = StdioServerConfig | HttpServerConfig;

export interface ResolvedConfig {
  /** The file it came from, or 'embedded default'. */
  source: string;
  dataDir: string;
  servers: ServerConfig[];
  gateway: GatewayConfig;
  telemetry: TelemetryConfig;
  sandbox: SandboxConfig;
  search: SearchConfig;
  /** `databaseUrl` is DATABASE_URL when the environment has it. */
  storage: StorageConfig;
}
