// Public door of the downstream side: the pool of MCP server connections and its event types.
export { DownstreamPool } from './pool.js';
export { DownstreamConnection } from './connection.js';
export type { ConnectionPolicy } from './connection.js';
export type { RequestOptions } from './forward-request.js';
export type { TransportFactory } from './create-transport.js';
export type { ProtocolEraName } from './era-verdicts.js';
export { INPUT_KEY_META } from './create-client.js';
export { withMeta } from './progress-router.js';
export { toCancelledError } from './to-downstream-error.js';
export type { ProgressListener } from './progress-router.js';
export { killAllChildren, countLiveChildren } from './child-registry.js';
export type {
  DownstreamEvent,
  DownstreamHandlers,
  JsonRpcNotification,
  ServerState,
  ServerStatus,
  Tool,
} from './types.js';
