// Public door of configuration: load once, then pass the resolved value down.
export { loadConfig, resolveConfig, CONFIG_FILE_NAME, EMBEDDED_SOURCE } from './load.js';
export type { LoadConfigOptions } from './load.js';
export { PREFIX_MODES, SANDBOX_APPROVALS, SERVER_PROTOCOLS, TOOLS_MODES } from './schema.js';
export type {
  PrefixMode,
  ServerProtocol,
  ToolsMode,
  GatewayConfig,
  SandboxApproval,
  SandboxConfig,
  SearchConfig,
  StorageConfig,
} from './schema.js';
export type { ResolvedConfig, ServerConfig, StdioServerConfig, HttpServerConfig } from './types.js';
