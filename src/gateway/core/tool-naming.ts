// How downstream names become the names clients see: `<server>__<name>` by default, bare names when
// the prefix mode allows it, and only what the MCP spec allows in a tool name (1 to 128 of A-Z a-z
// 0-9 _ - .), whatever the server chose.
import { createHash } from 'node:crypto';
import type { PrefixMode } from '../../config/index.js';

export const PREFIX_SEPARATOR = '__';
const INVALID_NAME_CHARACTERS = /[^A-Za-z0-9_.-]/g;
export const MAX_NAME_LENGTH = 128;
// A shortened name ends with this many hex digits of the full name's hash, so two long names that
// share their first 119 characters still differ.
const HASH_LENGTH = 8;

export interface NamedItem {
  serverId: string;
  name: string;
}

/** Something a server listed that pml could not expose as it is; told to the caller, which logs it. */
export interface NamingProblem {
  serverId: string;
  name: string;
  /** A second definition of a name the server already listed: pml exposes the first one only. */
  kind: 'duplicate';
}

/**
 * Gives each item a unique, spec-valid exposed name. `never` and `on-collision` fall back to the
 * prefix when two servers share a name: a hidden tool would be worse than a longer name. A name a
 * server lists twice is exposed once: a call by that name reaches the server's own choice of the two,
 * so a second exposed name would promise a tool no call can reach.
 */
export function buildExposedNames<T extends NamedItem>(
  items: T[],
  toPrefixMode: (serverId: string) => PrefixMode,
  onProblem: (problem: NamingProblem) => void = () => {},
): Map<string, T> {
  const unique = dropRepeatsWithinServers(items, onProblem);
  const serversByName = new Map<string, Set<string>>();
  for (const item of unique) {
    const servers = serversByName.get(item.name) ?? new Set<string>();
    servers.add(item.serverId);
    serversByName.set(item.name, servers);
  }
  const wanted = unique.map((item) => {
    const shared = (serversByName.get(item.name)?.size ?? 0) > 1;
    const usePrefix = toPrefixMode(item.serverId) === 'always' || shared;
    return usePrefix ? `${item.serverId}${PREFIX_SEPARATOR}${item.name}` : item.name;
  });
  // Names that need no change are taken first, so a tool really called `read_file` keeps that name
  // and a `read file` beside it is the one that gets a suffix.
  const taken = new Set<string>();
  const chosen = wanted.map((name) => {
    if (toSpecName(name) !== name || taken.has(name)) return undefined;
    taken.add(name);
    return name;
  });
  const exposed = new Map<string, T>();
  for (const [index, item] of unique.entries())
    exposed.set(chosen[index] ?? toFreeName(toSpecName(wanted[index]!), taken), item);
  return exposed;
}

/** Replaces what the spec does not allow with `_`, and shortens a long name (keeping it distinct). */
export function toSpecName(name: string): string {
  const cleaned = name.replace(INVALID_NAME_CHARACTERS, '_') || '_';
  if (cleaned.length <= MAX_NAME_LENGTH) return cleaned;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, HASH_LENGTH);
  return `${cleaned.slice(0, MAX_NAME_LENGTH - HASH_LENGTH - 1)}_${hash}`;
}

function toFreeName(candidate: string, taken: Set<string>): string {
  let name = candidate;
  for (let suffix = 2; taken.has(name); suffix++) {
    const tail = `_${suffix}`;
    name = `${candidate.slice(0, MAX_NAME_LENGTH - tail.length)}${tail}`;
  }
  taken.add(name);
  return name;
}

function dropRepeatsWithinServers<T extends NamedItem>(
  items: T[],
  onProblem: (problem: NamingProblem) => void,
): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = `${item.serverId}\u0000${item.name}`;
    if (!seen.has(key)) return seen.add(key);
    onProblem({ serverId: item.serverId, name: item.name, kind: 'duplicate' });
    return false;
  });
}
