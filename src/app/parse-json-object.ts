// JSON a user typed or wrote to a file, parsed into an object with an error that says what to fix.
import { ConfigError } from '../errors/index.js';

export function parseJsonObject(
  text: string,
  what: { source: string; name: string; plural?: boolean; example: string },
): Record<string, unknown> {
  const is = what.plural ? 'are' : 'is';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      `The ${what.name} ${is} not valid JSON: ${error instanceof Error ? error.message : String(error)}. Example: ${what.example}`,
      { source: what.source, issues: [{ path: what.name, message: 'invalid JSON' }] },
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`The ${what.name} must be a JSON object. Example: ${what.example}`, {
      source: what.source,
      issues: [{ path: what.name, message: 'expected an object' }],
    });
  }
  return value as Record<string, unknown>;
}
