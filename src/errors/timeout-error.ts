// Something pml waited for took longer than its limit; what it was and the limit travel as data.
import { PmlError } from './pml-error.js';

export interface TimeoutErrorData {
  [key: string]: unknown;
  operation: 'connect' | 'tools/call' | 'request' | 'health_check' | 'shutdown';
  limitMs: number;
  serverId?: string;
  tool?: string;
}

export class TimeoutError extends PmlError<TimeoutErrorData> {
  constructor(message: string, data: TimeoutErrorData, options?: { cause?: unknown }) {
    super('TIMEOUT', message, data, options);
  }
}
