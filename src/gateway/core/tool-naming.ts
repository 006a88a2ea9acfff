// How downstream names become the names clients see: `<server>__<name>` by default, bare names when
// the prefix mode allows it, and only characters the MCP spec allows in a tool name.
import type { PrefixMode } from '../../config/index.js';

export const PREFIX_SEPARATOR = '__';
const INVALID_NAME_CHARACTERS = /[^A-Za-z0-9_.-]/g;

export interface NamedItem {
  serverId: string;
  name: string;
}

/**
 * Gives each item a unique exposed name. `never` and `on-collision` fall back to the prefix when two
 * servers share a name: a hidden tool would be worse than a longer name.
 */
export function buildExposedNames<T extends NamedItem>(
  items: T[],
  toPrefixMode: (serverId: string) => PrefixMode,
): Map<string, T> {
  const serversByName = new Map<string, Set<string>>();
  for (const item of items) {
    const servers = serversByName.get(item.name) ?? new Set<string>();
    servers.add(item.serverId);
    serversByName.set(item.name, servers);
  }
  const exposed = new Map<string, T>();
  for (const item of items) {
    const shared = (serversByName.get(item.name)?.size ?? 0) > 1;
    const usePrefix = toPrefixMode(item.serverId) === 'always' || shared;
    let name = toSpecName(usePrefix ? `${item.serverId}${PREFIX_SEPARATOR}${item.name}` : item.name);
    // Sanitising can make two names equal; a numeric suffix keeps both reachable.
    for (let suffix = 2; exposed.has(name); suffix++) name = `${toSpecName(item.name)}_${suffix}`;
    exposed.set(name, item);
  }
  return exposed;
}

export function toSpecName(name: string): string {
  return name.replace(INVALID_NAME_CHARACTERS, '_');
}
