// The words pml's own zod error maps (the config file, workflows) use for zod 4 issues: zod 3's, which
// the messages people and tests know were written in. Both maps build their sentences from these.
import type { z } from 'zod';

export type RawIssue = z.core.$ZodRawIssue;

// Zod 4 says "int" for a number that is not an integer, and refuses Infinity (JSON.parse reads 1e999
// as that) before the integer check runs.
export function isIntegerFailure(issue: RawIssue & { code: 'invalid_type' }): boolean {
  if (issue.expected === 'int') return true;
  if (typeof issue.input !== 'number' || Number.isFinite(issue.input) || Number.isNaN(issue.input))
    return false;
  const format = issue.inst && 'format' in issue.inst ? issue.inst.format : undefined;
  return typeof format === 'string' && format.includes('int');
}

// The input's kind as the messages name it (JSON values: null and arrays are not "object").
export function toReceived(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  if (typeof input === 'number' && !Number.isFinite(input))
    return Number.isNaN(input) ? 'nan' : String(input);
  return typeof input;
}

// The words for a bound, by how it binds: [exclusive, inclusive, exact].
const BOUND_WORDS = {
  number: {
    too_small: ['greater than', 'greater than or equal to', 'exactly equal to'],
    too_big: ['less than', 'less than or equal to', 'exactly'],
  },
  string: { too_small: ['over', 'at least', 'exactly'], too_big: ['under', 'at most', 'exactly'] },
  array: { too_small: ['more than', 'at least', 'exactly'], too_big: ['less than', 'at most', 'exactly'] },
} as const;

export function toRangeMessage(issue: RawIssue & { code: 'too_small' | 'too_big' }): string {
  const origin = issue.origin === 'int' ? 'number' : issue.origin;
  if (!Object.hasOwn(BOUND_WORDS, origin)) return 'Invalid input';
  const words =
    BOUND_WORDS[origin as keyof typeof BOUND_WORDS][issue.code][issue.exact ? 2 : issue.inclusive ? 1 : 0];
  const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
  if (origin === 'number') return `Number must be ${words} ${bound}`;
  return `${origin === 'string' ? 'String' : 'Array'} must contain ${words} ${bound} ${origin === 'string' ? 'character(s)' : 'element(s)'}`;
}

export function joinQuoted(values: readonly unknown[], separator: string): string {
  return values.map((value) => (typeof value === 'string' ? `'${value}'` : String(value))).join(separator);
}
