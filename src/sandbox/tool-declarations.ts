// Compact TypeScript declarations of the tools sandboxed code may call, generated from their input
// schemas: what code mode puts in execute_code's description so an agent writes correct calls
// without the full JSON Schemas in its context. Past a size budget only the server and tool names
// are listed, and code asks for one server's declarations on demand (DESCRIBE_TOOLS).

export interface DeclaredTool {
  serverId: string;
  /** The tool's own name on its server: `tools.<serverId>.<name>(args)`. */
  name: string;
  description?: string | undefined;
  inputSchema: Record<string, unknown>;
}

/** `await tools.call("describe_tools", { server })` answers that server's declarations. */
export const DESCRIBE_TOOLS = 'describe_tools';
/** Declarations longer than this are replaced by the list of names (about 2,000 tokens). */
export const DECLARATIONS_BUDGET_CHARS = 8_000;
const MAX_TYPE_DEPTH = 4;
const MAX_DESCRIPTION_CHARS = 120;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The declarations of every tool, or the compact server list when they exceed the budget. */
export function buildToolDeclarations(tools: readonly DeclaredTool[]): string {
  const full = buildServerDeclarations(tools);
  if (full.length <= DECLARATIONS_BUDGET_CHARS) return full;
  const byServer = groupByServer(tools);
  const lines = [...byServer].map(
    ([serverId, serverTools]) => `//   ${serverId}: ${serverTools.map((tool) => tool.name).join(', ')}`,
  );
  return [
    `// ${tools.length} tools; call tools.<server>.<tool>(args). Their declarations:`,
    `//   await tools.call("${DESCRIBE_TOOLS}", { server: "<server>" })`,
    ...lines,
  ].join('\n');
}

/** Full declarations of `tools` (all of them, or one server's). */
export function buildServerDeclarations(tools: readonly DeclaredTool[]): string {
  const servers = [...groupByServer(tools)].map(([serverId, serverTools]) => {
    const members = serverTools.map((tool) => {
      const doc = toDocComment(tool.description);
      return `${doc}    ${toKey(tool.name)}(args: ${toType(tool.inputSchema, 2)}): Promise<any>;`;
    });
    return `  ${toKey(serverId)}: {\n${members.join('\n')}\n  };`;
  });
  return [
    '// A tool answers its structured content, or its text (parsed when it is JSON); an isError result throws.',
    'declare const tools: {',
    ...servers,
    '  call(name: string, args?: Record<string, unknown>): Promise<any>;',
    '};',
  ].join('\n');
}

function groupByServer(tools: readonly DeclaredTool[]): Map<string, DeclaredTool[]> {
  const byServer = new Map<string, DeclaredTool[]>();
  for (const tool of tools) byServer.set(tool.serverId, [...(byServer.get(tool.serverId) ?? []), tool]);
  return byServer;
}

/** A JSON Schema as a TypeScript type; what it cannot say precisely becomes `unknown`. */
export function toType(schema: unknown, indent = 0, depth = 0): string {
  if (schema === true || schema === undefined) return 'unknown';
  if (schema === null || typeof schema !== 'object') return 'unknown';
  const node = schema as Record<string, unknown>;
  if (depth > MAX_TYPE_DEPTH) return 'unknown';
  if (Array.isArray(node.enum)) return node.enum.map((value) => JSON.stringify(value)).join(' | ') || 'never';
  if ('const' in node) return JSON.stringify(node.const);
  const union = (node.anyOf ?? node.oneOf) as unknown[] | undefined;
  if (Array.isArray(union)) return union.map((member) => toType(member, indent, depth + 1)).join(' | ');
  if (Array.isArray(node.allOf))
    return node.allOf.map((member) => toType(member, indent, depth + 1)).join(' & ');
  const type = node.type;
  if (Array.isArray(type))
    return type.map((member) => toType({ ...node, type: member }, indent, depth)).join(' | ');
  switch (type) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array': {
      const item = toType(node.items, indent, depth + 1);
      return /^[\w.]+$/.test(item) ? `${item}[]` : `Array<${item}>`;
    }
    case 'object':
    case undefined:
      return node.properties || type === 'object' ? toObjectType(node, indent, depth) : 'unknown';
    default:
      return 'unknown';
  }
}

function toObjectType(node: Record<string, unknown>, indent: number, depth: number): string {
  const properties = (node.properties ?? {}) as Record<string, unknown>;
  const required = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
  const entries = Object.entries(properties);
  if (entries.length === 0) return node.additionalProperties === false ? '{}' : 'Record<string, unknown>';
  const members = entries.map(
    ([key, value]) => `${toKey(key)}${required.has(key) ? '' : '?'}: ${toType(value, indent + 2, depth + 1)}`,
  );
  const inline = `{ ${members.join('; ')} }`;
  if (inline.length <= 100) return inline;
  const pad = ' '.repeat(indent + 2);
  return `{\n${members.map((member) => `${pad}${member};`).join('\n')}\n${' '.repeat(indent)}}`;
}

function toKey(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

function toDocComment(description: string | undefined): string {
  const first = description
    ?.split(/(?<=[.!?])\s/)[0]
    ?.replace(/\s+/g, ' ')
    .replaceAll('*/', '* /')
    .trim();
  if (!first) return '';
  const text = first.length > MAX_DESCRIPTION_CHARS ? `${first.slice(0, MAX_DESCRIPTION_CHARS - 1)}…` : first;
  return `    /** ${text} */\n`;
}
