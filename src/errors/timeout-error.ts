// Something pml waited for took longer than its limit; what it was and the limit travel as data.
import { PmlError } from './pml-error.js';

export interface TimeoutErrorData {
  [key: string]: unknown;
  /** `connect`, or the MCP method that timed out (tools/call, resources/read, ...). */
  operation: string;
  limitMs: number;
  serverId?: string;
  tool?: string | undefined;
}

export class TimeoutError extends PmlError<TimeoutErrorData> {
  constructor(message: string, data: TimeoutErrorData, options?: { cause?: unknown }) {
    super('TIMEOUT', message, data, options);
  }
}
