// A result schema for the SDK's request(): any result as it came. pml forwards what the other side
// answers and does not re-shape it (the SDK's spec schema would reorder keys, reject what it does
// not know, and a zod parse of each result would double the cost of a proxy hop).
import type { StandardSchemaV1 } from '@modelcontextprotocol/client';

export type ForwardedResult = Record<string, unknown>;

export const PASSTHROUGH_RESULT: StandardSchemaV1<ForwardedResult> = {
  '~standard': { version: 1, vendor: 'pml', validate: (value) => ({ value: value as ForwardedResult }) },
};
