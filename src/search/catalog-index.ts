// One catalog as searched: the tools with their documents, the lexical index, the vectors being
// filled in, and which server each tool belongs to. Replaced whole by setTools, so a search that
// started on the old catalog finishes on it.
import { buildLexicalIndex, type LexicalIndex } from './lexical-index.js';
import type { RankingOptions } from './ranking-options.js';
import { findNameVerbGroups } from './synonyms.js';
import { toTerms } from './terms.js';
import { buildToolDocument, type ToolDocument } from './tool-documents.js';
import type { SearchableTool } from './types.js';
import { createVectorStore, type VectorStore } from './vector-store.js';

export interface CatalogIndex {
  tools: SearchableTool[];
  docs: ToolDocument[];
  positionOf: Map<string, number>;
  lexical: LexicalIndex;
  vectors: VectorStore;
  serverIds: string[];
  serverOf: Uint32Array;
  /** Terms of each server id (`google_drive` → google, drive), to see whether a query names it. */
  serverTerms: string[][];
  /** Per tool: the synonym groups of the verb its own name starts with (`stop_instances` → stop). */
  nameVerbGroups: number[][];
  /** Inverse document frequency of a term over the tools' texts (rare terms weigh more; unknown ones most). */
  idf: (term: string) => number;
}

export interface CatalogBuild {
  index: CatalogIndex;
  /** Names that appeared more than once; the first tool of that name was kept. */
  duplicates: string[];
}

export function buildCatalogIndex(
  tools: readonly SearchableTool[],
  options: Pick<RankingOptions, 'fieldBoosts' | 'bm25'>,
): CatalogBuild {
  const kept: SearchableTool[] = [];
  const positionOf = new Map<string, number>();
  const duplicates: string[] = [];
  for (const tool of tools) {
    if (positionOf.has(tool.name)) {
      duplicates.push(tool.name);
      continue;
    }
    positionOf.set(tool.name, kept.length);
    kept.push(tool);
  }
  const docs = kept.map(buildToolDocument);
  const serverIds = [...new Set(kept.map((tool) => tool.serverId))];
  const serverPosition = new Map(serverIds.map((serverId, position) => [serverId, position]));
  return {
    index: {
      tools: kept,
      docs,
      positionOf,
      lexical: buildLexicalIndex(docs, options),
      vectors: createVectorStore(kept.length),
      serverIds,
      serverOf: Uint32Array.from(kept, (tool) => serverPosition.get(tool.serverId)!),
      serverTerms: serverIds.map((serverId) => toTerms(serverId)),
      nameVerbGroups: docs.map((doc) => findNameVerbGroups(toTerms(doc.actionWords))),
      idf: buildIdf(docs),
    },
    duplicates,
  };
}

/** Per server: the share of its id's terms found among the query's terms. */
export function buildServerMention(index: CatalogIndex, queryTerms: readonly string[]): Float64Array {
  const terms = new Set(queryTerms);
  return Float64Array.from(index.serverTerms, (serverTerms) =>
    serverTerms.length === 0 ? 0 : serverTerms.filter((term) => terms.has(term)).length / serverTerms.length,
  );
}

/** Per tool: 1 when the verb of its name means what the query asks for (shares a verb group), else 0. */
export function buildActionMatch(
  index: CatalogIndex,
  queryVerbGroups: readonly number[],
): Float64Array | undefined {
  if (queryVerbGroups.length === 0) return undefined;
  const wanted = new Set(queryVerbGroups);
  return Float64Array.from(index.nameVerbGroups, (groups) =>
    groups.some((group) => wanted.has(group)) ? 1 : 0,
  );
}

function buildIdf(docs: readonly ToolDocument[]): (term: string) => number {
  const counts = new Map<string, number>();
  for (const doc of docs) {
    for (const term of toTerms(`${doc.serverWords} ${doc.actionWords} ${doc.description} ${doc.params}`)) {
      counts.set(term, (counts.get(term) ?? 0) + 1);
    }
  }
  return (term) => Math.log(1 + docs.length / (1 + (counts.get(term) ?? 0)));
}
