// Turns zod issues into lines a person can act on: the key path, what was wrong, what was expected,
// and for an unknown key the closest known one.
import type { z } from 'zod';
import { toEditDistance } from '../shared/edit-distance.js';
import {
  isIntegerFailure,
  joinQuoted,
  toRangeMessage,
  toReceived,
  type RawIssue,
} from '../shared/zod-issue-words.js';

export interface ConfigIssue {
  path: string;
  message: string;
}

/**
 * The wording of the config messages, for `safeParse(value, { error: configErrorMap })` (a message
 * the schema sets itself wins). It is pml's own, so a zod upgrade does not change what users read.
 */
export const configErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (isIntegerFailure(issue)) return toTypeMessage('integer', 'float');
      return toTypeMessage(issue.expected === 'record' ? 'object' : issue.expected, toReceived(issue.input));
    case 'invalid_value':
      if (schemaTypeOf(issue) === 'literal')
        return `invalid literal value, expected ${joinJson(issue.values, ' | ')}`;
      // An enum given a non-string (or nothing) has the wrong type, not a wrong value.
      if (typeof issue.input !== 'string')
        return toTypeMessage(joinQuoted(issue.values, ' | '), toReceived(issue.input));
      return `expected one of ${joinJson(issue.values, ', ')}, got ${JSON.stringify(issue.input)}`;
    case 'too_small':
    case 'too_big':
      return toRangeMessage(issue);
    case 'invalid_format':
      return issue.format === 'regex' ? 'invalid' : `invalid ${issue.format}`;
    case 'not_multiple_of':
      return `number must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return `unrecognized key(s) in object: ${joinQuoted(issue.keys, ', ')}`;
    case 'invalid_union':
    case 'custom':
      return 'invalid input';
    default:
      return undefined;
  }
};

export function toConfigIssues(issues: z.core.$ZodIssue[], basePath: PropertyKey[] = []): ConfigIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: toKeyPath([...basePath, ...issue.path, key]),
        message: `unknown key "${key}"${toSuggestion(key)}`,
      }));
    }
    const path = toKeyPath([...basePath, ...issue.path]);
    return [{ path, message: issue.message.charAt(0).toLowerCase() + issue.message.slice(1) }];
  });
}

export function toKeyPath(path: PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

function toTypeMessage(expected: string, received: string): string {
  return received === 'undefined'
    ? `is required (expected ${expected})`
    : `expected ${expected}, got ${received}`;
}

function schemaTypeOf(issue: RawIssue): string | undefined {
  const def = issue.inst?._zod.def;
  return def && 'type' in def ? def.type : undefined;
}

function joinJson(values: readonly unknown[], separator: string): string {
  return values.map((value) => JSON.stringify(value)).join(separator);
}

// Zod does not tell which keys were allowed, so suggestions come from a list of known pml keys.
const KNOWN_KEYS = [
  'mcpServers',
  'gateway',
  'search',
  'sandbox',
  'telemetry',
  'storage',
  'command',
  'args',
  'env',
  'cwd',
  'url',
  'headers',
  'type',
  'toolPrefix',
  'toolsMode',
  'callTimeoutMs',
  'connectTimeoutMs',
  'disabled',
  'startupWaitMs',
  'maxMessageBytes',
  'healthCheckIntervalMs',
  'healthCheckTimeoutMs',
  'restart',
  'http',
  'host',
  'port',
  'token',
  'allowedHosts',
  'allowedOrigins',
  'maxAttempts',
  'recordInputs',
  'recordOutputs',
  'captureToolErrors',
  'sampleRates',
  'bufferSize',
  'initialDelayMs',
  'maxDelayMs',
  'stableAfterMs',
];

function toSuggestion(key: string): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const known of KNOWN_KEYS) {
    const distance = toEditDistance(key.toLowerCase(), known.toLowerCase());
    if (distance < bestDistance) {
      best = known;
      bestDistance = distance;
    }
  }
  return best ? ` (did you mean "${best}"?)` : '';
}
