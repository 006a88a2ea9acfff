// "Did you mean" for an unknown tool name: the catalog's names a model most likely meant, best
// first. Two kinds of miss are common: the `<server>__<tool>` shape got wrong (`memory_read_graph`,
// `memory.read_graph`, a bare `read_graph`, the wrong case) and plain typos (`everything__echoo`,
// `ehco`), which an edit distance bounded by the name's length catches.
import { toEditDistance } from '../../shared/edit-distance.js';
import { PREFIX_SEPARATOR } from './tool-naming.js';

export const MAX_SUGGESTIONS = 5;

/** What a model types between server and tool instead of `__`: one underscore, a dot, a slash, a colon, a space. */
const SEPARATOR_RUN = /^[_./: -]+/;

export interface SuggestionCandidate {
  exposedName: string;
  serverId: string;
}

/**
 * Candidates close to `unknownName`, closest first (catalog order among equals), at most five.
 * A shape fix costs nothing; each typo costs one, and a name may carry about one per four characters.
 */
export function suggestToolNames(unknownName: string, candidates: SuggestionCandidate[]): string[] {
  const typed = unknownName.trim().toLowerCase();
  const prefixes = findServerPrefixes(typed, candidates);
  return candidates
    .map((candidate, order) => ({
      name: candidate.exposedName,
      order,
      cost: toCost(typed, prefixes, candidate),
    }))
    .filter((scored): scored is { name: string; order: number; cost: number } => scored.cost !== undefined)
    .sort((a, b) => a.cost - b.cost || a.order - b.order)
    .slice(0, MAX_SUGGESTIONS)
    .map((scored) => scored.name);
}

/** The servers whose id starts the typed name followed by some separator, each with the rest of the name. */
function findServerPrefixes(typed: string, candidates: SuggestionCandidate[]): Map<string, string> {
  const prefixes = new Map<string, string>();
  for (const serverId of new Set(candidates.map((candidate) => candidate.serverId))) {
    const id = serverId.toLowerCase();
    if (!typed.startsWith(id)) continue;
    const separator = SEPARATOR_RUN.exec(typed.slice(id.length))?.[0];
    const rest = separator ? typed.slice(id.length + separator.length) : '';
    if (rest !== '') prefixes.set(serverId, rest);
  }
  return prefixes;
}

function toCost(
  typed: string,
  prefixes: Map<string, string>,
  candidate: SuggestionCandidate,
): number | undefined {
  const toolPart = toToolPart(candidate);
  const sameServerRest = prefixes.get(candidate.serverId);
  if (sameServerRest !== undefined) return withinReach(sameServerRest, toolPart, 0);
  if (prefixes.size > 0) {
    // Another server named: the right tool on the wrong server still helps, after the same server's.
    const rest = [...prefixes.values()].reduce((shortest, next) =>
      next.length < shortest.length ? next : shortest,
    );
    return withinReach(rest, toolPart, 1);
  }
  // No server recognised: a bare tool name, or a misspelt server prefix.
  const bare = withinReach(typed, toolPart, 0);
  const whole = withinReach(typed, candidate.exposedName.toLowerCase(), 0);
  return bare === undefined ? whole : whole === undefined ? bare : Math.min(bare, whole);
}

/** The edits from `typed` to `target` plus `penalty`, when within about one edit per four characters. */
function withinReach(typed: string, target: string, penalty: number): number | undefined {
  const cost = toEditDistance(typed, target) + penalty;
  return cost <= Math.max(1, Math.floor(typed.length / 4)) ? cost : undefined;
}

/** The tool's own part of its exposed name: what follows `<server>__`, or the whole unprefixed name. */
function toToolPart(candidate: SuggestionCandidate): string {
  const name = candidate.exposedName.toLowerCase();
  const prefix = `${candidate.serverId.toLowerCase()}${PREFIX_SEPARATOR}`;
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}
