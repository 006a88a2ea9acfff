// Turns zod issues into lines a person can act on: the key path, what was wrong, what was expected,
// and for an unknown key the closest known one.
import type { ZodIssue } from 'zod';

export interface ConfigIssue {
  path: string;
  message: string;
}

export function toConfigIssues(issues: ZodIssue[], basePath: (string | number)[] = []): ConfigIssue[] {
  return issues.flatMap((issue) => {
    const path = toKeyPath([...basePath, ...issue.path]);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: toKeyPath([...basePath, ...issue.path, key]),
        message: `unknown key "${key}"${toSuggestion(key, issue)}`,
      }));
    }
    if (issue.code === 'invalid_type') {
      const message =
        issue.received === 'undefined'
          ? `is required (expected ${issue.expected})`
          : `expected ${issue.expected}, got ${issue.received}`;
      return [{ path, message }];
    }
    if (issue.code === 'invalid_enum_value') {
      return [
        {
          path,
          message: `expected one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}, got ${JSON.stringify(issue.received)}`,
        },
      ];
    }
    return [{ path, message: issue.message.charAt(0).toLowerCase() + issue.message.slice(1) }];
  });
}

export function toKeyPath(path: (string | number)[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
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

function toSuggestion(key: string, _issue: ZodIssue): string {
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

function toEditDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}
