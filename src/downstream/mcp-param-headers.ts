// 2026-07-28 over HTTP (SEP-2243): a tool argument whose schema property carries `x-mcp-header`
// also travels as an `Mcp-Param-<Name>` header, and the server refuses a call whose header is
// missing or disagrees with the body (-32020). The SDK's callTool mirrors them, but it also
// re-validates and re-shapes the result; pml forwards results as they are, so it mirrors the
// arguments itself, from the tool definitions it listed (the SDK's listTools has already dropped
// tools whose declarations break the SEP's rules). Encoding as in the SDK (mcpParamHeaders.ts).
import type { Tool } from '@modelcontextprotocol/client';

interface Declaration {
  path: string[];
  headerName: string;
}

const HEADER_KEY = 'x-mcp-header';
const BASE64_PREFIX = '=?base64?';
const BASE64_SUFFIX = '?=';

const declarationsByTool = new WeakMap<Tool, Declaration[]>();

/** The `Mcp-Param-*` headers for one call of `tool` with `args`; empty when it declares none. */
export function toMcpParamHeaders(tool: Tool | undefined, args: unknown): Record<string, string> {
  if (!tool) return {};
  let declarations = declarationsByTool.get(tool);
  if (!declarations) declarationsByTool.set(tool, (declarations = findDeclarations(tool.inputSchema, [])));
  const headers: Record<string, string> = {};
  for (const { path, headerName } of declarations) {
    const value = toHeaderText(valueAt(args, path));
    if (value !== undefined) headers[`Mcp-Param-${headerName}`] = encodeHeaderValue(value);
  }
  return headers;
}

/** Declarations sit on properties reached through `properties` alone, at any depth. */
function findDeclarations(schema: unknown, path: string[]): Declaration[] {
  if (schema === null || typeof schema !== 'object') return [];
  const node = schema as { [HEADER_KEY]?: unknown; properties?: Record<string, unknown> };
  const own =
    typeof node[HEADER_KEY] === 'string' && path.length > 0 ? [{ path, headerName: node[HEADER_KEY] }] : [];
  const nested = Object.entries(node.properties ?? {}).flatMap(([key, child]) =>
    findDeclarations(child, [...path, key]),
  );
  return [...own, ...nested];
}

function valueAt(root: unknown, path: string[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Strings as they are, booleans lowercase, numbers in decimal; anything else sends no header. */
function toHeaderText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!Number.isInteger(value) || Number.isSafeInteger(value))
  )
    return String(value);
  return undefined;
}

/** Plain printable ASCII passes; anything else, or what looks encoded already, goes as Base64 UTF-8. */
function encodeHeaderValue(value: string): string {
  const looksEncoded = value.startsWith(BASE64_PREFIX) && value.endsWith(BASE64_SUFFIX);
  const plain = value.length > 0 && value === value.trim() && /^[\t\x20-\x7e]*$/.test(value) && !looksEncoded;
  return plain ? value : `${BASE64_PREFIX}${Buffer.from(value, 'utf8').toString('base64')}${BASE64_SUFFIX}`;
}
