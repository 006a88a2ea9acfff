// Public door of configuration: load once, then pass the resolved value down.
export { loadConfig, resolveConfig, CONFIG_FILE_NAME, EMBEDDED_SOURCE } from './load.js';
export type { LoadConfigOptions } from './load.js';
export { PREFIX_MODES, TOOLS_MODES } from './schema.js';
export type { PrefixMode, ToolsMode, GatewayConfig } from './schema.js';
export type { ResolvedConfig, ServerConfig, StdioServerConfig, HttpServerConfig } from './types.js';
