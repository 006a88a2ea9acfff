// The base of every error pml raises on purpose: a stable `code` for machines, a message for people,
// and structured `data` that telemetry attaches as context.
import type { PmlErrorCode } from './error-codes.js';

export type PmlErrorData = Record<string, unknown>;

export class PmlError<Data extends PmlErrorData = PmlErrorData> extends Error {
  readonly code: PmlErrorCode;
  readonly data: Data;

  constructor(code: PmlErrorCode, message: string, data: Data, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.data = data;
    // The class name is what Sentry shows as the exception type.
    this.name = new.target.name;
  }
}

export function isPmlError(value: unknown): value is PmlError {
  return value instanceof PmlError;
}

/** A readable message for any thrown value, without the stack. */
export function toErrorMessage(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
