// Who a tool call is made for. Server-to-client requests that arrive during the call (sampling,
// elicitation, roots) go back to `clientId`; a call with no client behind it has none.
import type { NetworkTransport } from '../../telemetry/index.js';

export interface Caller {
  /** The connected client the call serves, if any (a workflow or sandbox run passes its client's). */
  clientId?: string | undefined;
  transport: NetworkTransport;
}
