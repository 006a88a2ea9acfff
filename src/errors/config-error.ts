// A configuration that cannot be used: the message names the key path and what was expected.
import { PmlError } from './pml-error.js';

export interface ConfigErrorData {
  [key: string]: unknown;
  source: string;
  issues: { path: string; message: string }[];
}

export class ConfigError extends PmlError<ConfigErrorData> {
  constructor(message: string, data: ConfigErrorData, options?: { cause?: unknown }) {
    super('CONFIG_INVALID', message, data, options);
  }
}
