// Stemmed BM25 over the tools' words (minisearch), by field: the tool's own name, its server, its
// description and its parameters. Rebuilt whole on every catalog change: 1,000 tools take ~30 ms.
import MiniSearch from 'minisearch';
import type { RankingOptions } from './ranking-options.js';
import { toTerm, toTerms, tokenizeForIndex } from './terms.js';
import type { ToolDocument } from './tool-documents.js';

export interface LexicalIndex {
  /**
   * BM25 score of every tool for `query`, by tool position (0 where no term matches). `extraWords`
   * (synonyms) count too, each term at `extraWeight` of a term the query says.
   */
  score(query: string, extraWords?: readonly string[], extraWeight?: number): Float64Array;
}

interface LexicalEntry {
  id: number;
  action: string;
  server: string;
  description: string;
  params: string;
}

export function buildLexicalIndex(
  docs: readonly ToolDocument[],
  options: Pick<RankingOptions, 'fieldBoosts' | 'bm25'>,
): LexicalIndex {
  const index = new MiniSearch<LexicalEntry>({
    fields: ['action', 'server', 'description', 'params'],
    idField: 'id',
    tokenize: tokenizeForIndex,
    processTerm: toTerm,
    searchOptions: { boost: { ...options.fieldBoosts }, bm25: options.bm25, combineWith: 'OR' },
  });
  index.addAll(
    docs.map((doc, id) => ({
      id,
      action: doc.actionWords,
      server: doc.serverWords,
      description: doc.description,
      params: doc.params,
    })),
  );
  return {
    score(query, extraWords = [], extraWeight = 0) {
      const scores = new Float64Array(docs.length);
      const said = new Set(toTerms(query));
      const text = extraWords.length > 0 && extraWeight > 0 ? `${query} ${extraWords.join(' ')}` : query;
      const boostTerm = (term: string) => (said.has(term) ? 1 : extraWeight);
      for (const result of index.search(text, { boostTerm })) scores[result.id as number] = result.score;
      return scores;
    },
  };
}
