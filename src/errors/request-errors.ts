// Errors about an inbound request itself or its fate: malformed params, a request nobody can serve,
// and a request its caller cancelled (a cancellation is never a server failure).
import { PmlError } from './pml-error.js';

export interface InvalidParamsErrorData {
  [key: string]: unknown;
  method: string;
  /** Where in params the problem is, e.g. "level" or "ref.uri". */
  path: string;
}

/** The caller's mistake: answered with -32602 and one readable sentence, never captured as a bug. */
export class InvalidParamsError extends PmlError<InvalidParamsErrorData> {
  constructor(message: string, data: InvalidParamsErrorData) {
    super('INVALID_PARAMS', message, data);
  }
}

export interface UnsupportedRequestErrorData {
  [key: string]: unknown;
  method: string;
  serverId?: string;
}

/** A request pml cannot route: no connected client can answer a server's sampling request, say. */
export class UnsupportedRequestError extends PmlError<UnsupportedRequestErrorData> {
  constructor(message: string, data: UnsupportedRequestErrorData) {
    super('UNSUPPORTED_REQUEST', message, data);
  }
}

export interface CancelledErrorData {
  [key: string]: unknown;
  operation: string;
  tool?: string | undefined;
  serverId?: string | undefined;
}

export class CancelledError extends PmlError<CancelledErrorData> {
  constructor(message: string, data: CancelledErrorData) {
    super('CANCELLED', message, data);
  }
}

export function isCancellation(error: unknown): boolean {
  return error instanceof CancelledError || (error instanceof Error && error.name === 'AbortError');
}
