// Words of tool names, descriptions and queries as the lexical index sees them: identifiers split
// into words (snake_case, kebab-case, camelCase, the `server__` prefix), lower-cased, stop words
// dropped, Porter-stemmed, so "listPullRequests" and "list the pull requests" meet.
import { stemmer } from 'stemmer';

// Words that say nothing about which tool fits. Kept short on purpose: "not", "all", "new" and
// "get" carry meaning in tool descriptions.
const STOP_WORDS = new Set(
  (
    'a an the and or of to in on at for from by with as into onto about over under up is are be been ' +
    'was were it its this that these those there here my our your their me we you i he she they them ' +
    'his her us do does did can could would should will shall may might must please so than then ' +
    'what which who whom how when where why whats also just some any'
  ).split(' '),
);

/** Words of `text`, with identifiers split apart: `getJSONData` → get, JSON, Data; `server__read_file` → server, read, file. */
export function splitWords(text: string): string[] {
  return text.split(/[^\p{L}\p{N}]+/u).flatMap(splitCase);
}

/**
 * Words as the lexical index takes them: like splitWords, but a word in mixed case is also kept whole,
 * because "GitHub" must meet both the server id `github` and a query that says "git hub".
 */
export function tokenizeForIndex(text: string): string[] {
  return text.split(/[^\p{L}\p{N}]+/u).flatMap((word) => {
    const parts = splitCase(word);
    return parts.length > 1 ? [word, ...parts] : parts;
  });
}

function splitCase(word: string): string[] {
  if (word === '') return [];
  return word
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu}+)(\p{Lu}\p{Ll})/gu, '$1 $2')
    .split(' ');
}

/** One word as indexed: lower-cased and stemmed, or null for a stop word. */
export function toTerm(word: string): string | null {
  const lower = word.toLowerCase();
  if (STOP_WORDS.has(lower)) return null;
  // Contractions arrive split ("what's" → "what", "s"); a lone letter matches nothing useful.
  if (lower.length === 1 && !/\d/.test(lower)) return null;
  return stemmer(lower);
}

/** The distinct terms of `text` as the lexical index sees them, in order of first appearance. */
export function toTerms(text: string): string[] {
  const terms = new Set<string>();
  for (const word of tokenizeForIndex(text)) {
    const term = toTerm(word);
    if (term !== null) terms.add(term);
  }
  return [...terms];
}
