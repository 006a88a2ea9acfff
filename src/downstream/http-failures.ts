// What an HTTP server's failure means for its connection, read off the error the SDK or fetch threw:
// - a lost session (the spec's 404 on a session id, or the 400 "No valid session ID" that several
//   servers send, server-everything among them): the server refused the request before doing
//   anything, so pml opens a new session and sends it again;
// - an unreachable server (refused, no such host, TLS, timeout, reset): the server is down, and the
//   answer names the cause.
import { SdkHttpError } from '@modelcontextprotocol/client';

// A 400 is a lost session only when the server says so; a 400 for a bad request is the client's.
const SESSION_WORDS = /session/i;

/** The server no longer knows the session the request named: open a new one and send again. */
export function isSessionLost(error: unknown): boolean {
  const status = toHttpStatus(error);
  if (status === 404) return true;
  return status === 400 && SESSION_WORDS.test(toHttpText(error));
}

function toHttpStatus(error: unknown): number | undefined {
  if (error instanceof SdkHttpError) return error.status;
  // The SSE transport's POST throws a plain Error worded "Error POSTing to endpoint (HTTP 404): ...".
  const match = /\(HTTP (\d{3})\)/.exec(error instanceof Error ? error.message : '');
  return match ? Number(match[1]) : undefined;
}

function toHttpText(error: unknown): string {
  const data = error instanceof SdkHttpError ? (error.data as { text?: unknown } | undefined) : undefined;
  return `${typeof data?.text === 'string' ? data.text : ''} ${error instanceof Error ? error.message : ''}`;
}

// Node's fetch (undici) fails with `TypeError: fetch failed` and the reason in `cause` (its `code`).
const CAUSES: [RegExp, string][] = [
  [/^ECONNREFUSED$/, 'connection refused'],
  [/^(ENOTFOUND|EAI_AGAIN|EAI_NONAME)$/, 'host not found'],
  [/^(ECONNRESET|UND_ERR_SOCKET|EPIPE)$/, 'connection reset'],
  [/^(ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT)$/, 'timed out'],
  [/^(EHOSTUNREACH|ENETUNREACH|ENETDOWN)$/, 'network unreachable'],
  [/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i, 'TLS failure'],
];

/**
 * Why the server could not be reached ("connection refused (ECONNREFUSED)"), or undefined when the
 * error is something else (an HTTP status, a JSON-RPC error). The whole cause chain is read: the SDK
 * wraps fetch's error in its own.
 */
export function toUnreachableCause(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 6; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string') {
      const found = CAUSES.find(([pattern]) => pattern.test(code));
      if (found) return `${found[1]} (${code})`;
    }
    if (/fetch failed|socket hang up|other side closed/i.test(current.message) && !current.cause)
      return current.message;
    current = current.cause;
  }
  return undefined;
}

/** A transport-level error worth checking the server for at once (its event stream broke). */
export function isStreamFailure(error: unknown): boolean {
  if (isSessionLost(error) || toUnreachableCause(error) !== undefined) return true;
  return /SSE stream|fetch failed/i.test(error instanceof Error ? error.message : '');
}
