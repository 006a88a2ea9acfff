// When a server that answered `server/discover` (so pml speaks 2026-07-28 with it) fails requests in
// a way its 2025 side would not, pml falls back to 2025-11-25 for it. Seen in the wild: servers on
// older SDKs with a discover handler bolted on, which still want `initialize` first ("Server not
// initialized", "No valid session ID") or answer in a draft's shapes (`resultType: "done"`).
import { ProtocolError, SdkError, SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';

// Words of a server asking for the 2025 handshake or refusing the 2026-07-28 envelope.
const LEGACY_WORDS =
  /not initiali[sz]ed|initiali[sz]e (first|request)|session id|mcp-session-id|_meta|envelope|protocol ?version|resultType/i;

/** Codes of a request refused before it ran: invalid request, invalid params, pml's own -32000s. */
const REFUSAL_CODES = new Set([-32600, -32602, -32000]);

export interface EraMismatch {
  /** What the server did, for the log and `gateway_status`. */
  reason: string;
  /** True when the server refused the request before running it: it may be sent again. */
  refusedBeforeRunning: boolean;
}

/** The mismatch an error shows, or undefined when the error is an ordinary failure of the request. */
export function toEraMismatch(error: unknown, method: string): EraMismatch | undefined {
  if (
    error instanceof SdkError &&
    (error.code === SdkErrorCode.InvalidResult || error.code === SdkErrorCode.UnsupportedResultType)
  ) {
    // The server ran the request; only its answer did not fit the era.
    return {
      reason: `its ${method} result does not fit 2026-07-28: ${error.message}`,
      refusedBeforeRunning: false,
    };
  }
  if (error instanceof SdkHttpError && error.status === 400 && LEGACY_WORDS.test(toText(error))) {
    return {
      reason: `it refused a 2026-07-28 ${method} with HTTP 400: ${toText(error)}`,
      refusedBeforeRunning: true,
    };
  }
  if (error instanceof ProtocolError && REFUSAL_CODES.has(error.code) && LEGACY_WORDS.test(error.message)) {
    return {
      reason: `it refused a 2026-07-28 ${method}: ${error.message} (${error.code})`,
      refusedBeforeRunning: true,
    };
  }
  return undefined;
}

function toText(error: SdkHttpError): string {
  const text = (error.data as { text?: unknown } | undefined)?.text;
  return (typeof text === 'string' ? text : error.message).slice(0, 300);
}

// Methods that read and change nothing: sending one again after a fallback cannot do anything twice.
const READS = new Set([
  'tools/list',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'prompts/list',
  'prompts/get',
  'completion/complete',
  'ping',
]);

/** Whether a request that failed this way may be sent again in the 2025 era. */
export function isSafeToRepeat(mismatch: EraMismatch, method: string): boolean {
  return mismatch.refusedBeforeRunning || READS.has(method);
}
