// Every span op, span attribute, tag and context name pml sends to Sentry, in one place, so the
// gateway, the telemetry code and the README's telemetry catalog cannot drift apart.

/** Root span of an inbound request (Sentry's MCP Insights reads `mcp.server`). */
export const MCP_SERVER_OP = 'mcp.server';
/** Child span of a request pml sends to a downstream server. */
export const MCP_CLIENT_OP = 'mcp.client';

export const ATTR_MCP_METHOD_NAME = 'mcp.method.name';
export const ATTR_MCP_TOOL_NAME = 'mcp.tool.name';
export const ATTR_GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
export const ATTR_MCP_SESSION_ID = 'mcp.session.id';
export const ATTR_MCP_REQUEST_ID = 'mcp.request.id';
export const ATTR_NETWORK_TRANSPORT = 'network.transport';
export const ATTR_ERROR_TYPE = 'error.type';
/** OpenTelemetry's MCP conventions: the JSON-RPC id, the error code of an error answer, the revision. */
export const ATTR_JSONRPC_REQUEST_ID = 'jsonrpc.request.id';
export const ATTR_RPC_RESPONSE_STATUS_CODE = 'rpc.response.status_code';
export const ATTR_MCP_PROTOCOL_VERSION = 'mcp.protocol.version';
export const ATTR_MCP_SERVER_ID = 'mcp.server.id';
/** The ADR's transaction name (mcp.tools.call, ...); per-operation sample rates key on it. */
export const ATTR_PML_OPERATION = 'pml.operation';
export const ATTR_PML_SERVER = 'pml.server';
export const ATTR_PML_TOOLS_COUNT = 'pml.tools.count';
export const ATTR_PML_TOOLS_MODE = 'pml.tools.mode';
export const ATTR_SENTRY_ORIGIN = 'sentry.origin';
/** Recorded tool arguments (opt-in): one attribute per argument, `mcp.request.argument.<name>`. */
export const ATTR_MCP_REQUEST_ARGUMENT_PREFIX = 'mcp.request.argument.';
/** Recorded tool result (opt-in). */
export const ATTR_MCP_TOOL_RESULT_CONTENT = 'mcp.tool.result.content';
export const ATTR_MCP_TOOL_RESULT_CONTENT_COUNT = 'mcp.tool.result.content_count';

export const TAG_TOOL = 'tool';
export const TAG_SERVER = 'server';
export const TAG_MCP_METHOD = 'mcp.method';
export const TAG_ERROR_CODE = 'error.code';

/** Event contexts set on captured errors. */
export const CONTEXT_PML_ERROR = 'pml_error';
export const CONTEXT_MCP = 'mcp';

/** Values pml writes under the names above. */
export const SENTRY_ORIGIN_PML_MCP_SERVER = 'auto.function.pml.mcp_server';
export const GEN_AI_OPERATION_EXECUTE_TOOL = 'execute_tool';
export const ERROR_TYPE_TOOL_ERROR = 'tool_error';
