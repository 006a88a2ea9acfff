// Public door of the gateway: build one from the config, then connect clients over stdio or HTTP.
export { createGateway } from './create-gateway.js';
export type { Gateway } from './create-gateway.js';
export type { GatewayCore, GatewayCoreOptions, GatewayHealth } from './core/gateway-core.js';
export type { ToolInvoker, InvokeOptions, ToolCallResult } from './core/tool-invoker.js';
export type { Caller } from './core/caller.js';
export { buildGatewayStatus } from './meta-tools/gateway-status.js';
export type { MetaTool, MetaToolContext } from './meta-tools/meta-tool.js';
export { LineStdioServerTransport } from './inbound/stdio-server-transport.js';
export { startHttpGateway } from './inbound/http-server.js';
export type { HttpGateway, HttpGatewayOptions } from './inbound/http-server.js';
