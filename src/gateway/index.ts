// Public door of the gateway: the shared core, client sessions over stdio or HTTP, the status tool.
export { GatewayCore } from './core.js';
export type { GatewayCoreOptions } from './core.js';
export { GatewaySession } from './session.js';
export { LineStdioServerTransport } from './stdio-server-transport.js';
export { startHttpGateway } from './http-server.js';
export type { HttpGateway, HttpGatewayOptions } from './http-server.js';
export { GATEWAY_STATUS_TOOL, buildGatewayStatus } from './gateway-status.js';
export { handleToolCall } from './tool-call.js';
