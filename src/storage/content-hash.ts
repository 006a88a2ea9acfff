// The hashes storage keys on: a tool's content hash (so a sync leaves unchanged tools alone) and an
// embedded text's hash (so a restart embeds nothing already known). Both are sha256 in hex.
import { createHash } from 'node:crypto';
import { toCanonicalJson } from '../shared/canonical-json.js';
import type { ToolDefinition } from './types.js';

/** sha256 of the canonical JSON of name, description and inputSchema (JSON keeps the parts apart). */
export function toContentHash(tool: ToolDefinition): string {
  const { name, description, inputSchema } = tool;
  return toSha256(toCanonicalJson({ name, description: description ?? null, inputSchema }));
}

/** The key of a text in the embedding cache. */
export function toTextHash(text: string): string {
  return toSha256(text);
}

function toSha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
