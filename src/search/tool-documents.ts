// What the index knows of one tool: its words by field for the lexical index, and one bounded text
// for the embedder with the hash the embedding cache keys it by. A 1 MB description or schema is cut
// here, so nothing downstream ever sees more than a few KB per tool.
import { createHash } from 'node:crypto';
import { splitWords } from './terms.js';
import type { SearchableTool } from './types.js';

/** Description characters the lexical index keeps (the longest real description we have is ~1.2 KB). */
export const MAX_DESCRIPTION_CHARS = 4_000;
/** Parameters read from an input schema, and characters kept of each one's description. */
export const MAX_PARAMS = 40;
export const MAX_PARAM_DESCRIPTION_CHARS = 200;
/**
 * Characters of the text a tool is embedded by. USE-lite averages over words, so the name and the
 * first sentences carry the meaning and a long tail only blurs it; the cap also bounds the cost of
 * its quadratic tokenizer.
 */
export const MAX_EMBEDDING_TEXT_CHARS = 600;

export interface ToolDocument {
  name: string;
  serverId: string;
  /** The server id as words: `google_drive` → "google drive". */
  serverWords: string;
  /** The tool's own name (without the `server__` prefix) as words. */
  actionWords: string;
  description: string;
  /** Parameter names as words, each followed by its description. */
  params: string;
  embeddingText: string;
  /** sha256 of `embeddingText`: the embedding cache's key, so a changed description is re-embedded. */
  textHash: string;
}

export function buildToolDocument(tool: SearchableTool): ToolDocument {
  const prefix = `${tool.serverId}__`;
  const ownName = tool.name.startsWith(prefix) ? tool.name.slice(prefix.length) : tool.name;
  const serverWords = splitWords(tool.serverId).join(' ');
  const actionWords = splitWords(ownName).join(' ');
  const description = toPlainText(tool.description ?? '', MAX_DESCRIPTION_CHARS);
  const embeddingText = cut(
    description === '' ? `${serverWords}: ${actionWords}` : `${serverWords}: ${actionWords}. ${description}`,
    MAX_EMBEDDING_TEXT_CHARS,
  );
  return {
    name: tool.name,
    serverId: tool.serverId,
    serverWords,
    actionWords,
    description,
    params: buildParamsText(tool.inputSchema),
    embeddingText,
    textHash: toTextHash(embeddingText),
  };
}

export function toTextHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function buildParamsText(inputSchema: Record<string, unknown>): string {
  const properties = inputSchema?.['properties'];
  if (typeof properties !== 'object' || properties === null) return '';
  const parts: string[] = [];
  let count = 0;
  for (const [name, schema] of Object.entries(properties as Record<string, unknown>)) {
    if (count++ >= MAX_PARAMS) break;
    const described = (schema as { description?: unknown } | null)?.description;
    const description =
      typeof described === 'string' ? toPlainText(described, MAX_PARAM_DESCRIPTION_CHARS) : '';
    parts.push(
      description === '' ? splitWords(name).join(' ') : `${splitWords(name).join(' ')} ${description}`,
    );
  }
  return parts.join('. ');
}

function toPlainText(text: string, maxChars: number): string {
  return cut(text, maxChars * 2)
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, maxChars);
}

/** `text` cut at `maxChars`, at the last space before it when there is one nearby. */
function cut(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const head = text.slice(0, maxChars);
  const space = head.lastIndexOf(' ');
  return space > maxChars * 0.8 ? head.slice(0, space) : head;
}
