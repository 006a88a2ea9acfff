// Runs one scenario two ways: an SDK client straight to a downstream server, and the same client code
// through the built `pml serve` (stdio) with only that server configured. The wild tier compares the
// two outcomes; the only thing a scenario may normalise is the `<server>__` prefix pml adds.
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import { Client, SSEClientTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { ClientOptions, Tool } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { startStdioGateway, waitFor, type StdioGateway } from './gateway.js';
import { isAlive, listDescendants } from './processes.js';

/** How a downstream server is reached: a command to spawn, or a URL it already listens on. */
export type ServerSpec =
  { command: string; args?: string[]; env?: Record<string, string> } | { url: string; type?: 'sse' | 'http' };

export type Way = 'direct' | 'pml';

export interface Side {
  way: Way;
  client: Client;
  /** The name to call on this side: the bare name directly, `<server>__<name>` through pml. */
  name(bare: string, serverId?: string): string;
  /** Every notification this side's client received, in order. */
  notifications: { method: string; params?: Record<string, unknown> }[];
  /**
   * Every message as the transport delivered it, before the SDK dispatches it. The SDK hands
   * notifications to their handlers a microtask late but settles a response at once, so a progress
   * notification that arrives in the same chunk as its result never reaches `onprogress`: tests that
   * count what went over the wire read it here.
   */
  received: JSONRPCMessage[];
}

export interface BothWays {
  direct: Side;
  pml: Side;
  gateway: StdioGateway;
  /** The direct side's clients, one per server id; a test that opens one later adds it here to close it. */
  directClients: Map<string, Side>;
  /** Both sides for one of several servers: its direct client, and pml naming its tools. */
  pair(serverId: string): Pick<BothWays, 'direct' | 'pml'>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Capabilities and handlers shared by both sides: the same client code either way. */
  clientOptions?: ClientOptions;
  setup?: (client: Client, way: Way) => void;
  /** pml's own config keys (gateway, search, …) besides mcpServers. */
  pmlConfig?: Record<string, unknown>;
  /** Extra keys for each server's pml entry (callTimeoutMs, connectTimeoutMs, …). */
  pmlEntry?: Record<string, unknown>;
  /** Open the direct side later (or never), for servers whose state must be fresh per way. */
  skipDirect?: boolean;
}

/** Servers by id: what the direct client reaches, and what pml is configured with (fresh state each). */
export type ServerPair = Record<string, { direct: ServerSpec; pml: ServerSpec }>;

export function sameServer(id: string, spec: ServerSpec): ServerPair {
  return { [id]: { direct: spec, pml: spec } };
}

export async function openBothWays(servers: ServerPair, options: OpenOptions = {}): Promise<BothWays> {
  const ids = Object.keys(servers);
  const mcpServers = Object.fromEntries(
    ids.map((id) => [id, { ...toPmlEntry(servers[id]!.pml), ...options.pmlEntry }]),
  );
  // Search ranking and storage are not under test here; leaving them on costs seconds per start.
  const config = {
    search: { embedder: 'none' },
    storage: { enabled: false },
    ...options.pmlConfig,
    mcpServers,
  };
  const pmlNotifications: Side['notifications'] = [];
  const gateway = await startStdioGateway(config, {
    clientOptions: options.clientOptions ?? { capabilities: {} },
    setup: (client) => {
      recordNotifications(client, pmlNotifications);
      options.setup?.(client, 'pml');
    },
  });
  const directClients = new Map<string, Side>();
  const both: BothWays = {
    gateway,
    directClients,
    get direct() {
      const first = directClients.get(ids[0]!);
      if (!first) throw new Error('the direct side was not opened');
      return first;
    },
    pml: {
      way: 'pml',
      client: gateway.client,
      name: (bare, serverId = ids[0]!) => `${serverId}__${bare}`,
      notifications: pmlNotifications,
      received: recordReceived(gateway.transport),
    },
    pair(serverId) {
      const direct = directClients.get(serverId);
      if (!direct) throw new Error(`no direct client for ${serverId}`);
      return { direct, pml: { ...both.pml, name: (bare) => `${serverId}__${bare}` } };
    },
    async close() {
      const directPids = [...directClients.values()].flatMap((side) => {
        const pid = (side.client.transport as StdioClientTransport | undefined)?.pid;
        return typeof pid === 'number' ? [pid] : [];
      });
      await Promise.all([...directClients.values()].map((side) => closeClient(side.client)));
      const pmlChildren = listDescendants(gateway.pid);
      await gateway.close();
      await waitFor(() => [gateway.pid, ...pmlChildren, ...directPids].every((pid) => !isAlive(pid)));
    },
  };
  if (!options.skipDirect)
    for (const id of ids) directClients.set(id, await openDirect(servers[id]!.direct, options));
  return both;
}

/** One client straight to a server, with the same options and handlers pml's client gets. */
export async function openDirect(spec: ServerSpec, options: OpenOptions = {}): Promise<Side> {
  const notifications: Side['notifications'] = [];
  const client = new Client(
    { name: 'pml-test', version: '1.0.0' },
    options.clientOptions ?? { capabilities: {} },
  );
  recordNotifications(client, notifications);
  options.setup?.(client, 'direct');
  const transport = toDirectTransport(spec);
  await client.connect(transport);
  return { way: 'direct', client, name: (bare) => bare, notifications, received: recordReceived(transport) };
}

/** Records what the transport delivers ahead of the SDK's own handler (set by connect). */
function recordReceived(transport: Transport): JSONRPCMessage[] {
  const received: JSONRPCMessage[] = [];
  const dispatch = transport.onmessage;
  transport.onmessage = (message, extra) => {
    received.push(message);
    dispatch?.(message, extra);
  };
  return received;
}

function toDirectTransport(spec: ServerSpec): Transport {
  if ('url' in spec)
    return spec.type === 'sse'
      ? new SSEClientTransport(new URL(spec.url))
      : new StreamableHTTPClientTransport(new URL(spec.url));
  return new StdioClientTransport({
    command: spec.command,
    args: spec.args ?? [],
    env: { PATH: process.env.PATH ?? '', ...spec.env },
    stderr: 'ignore',
  });
}

function toPmlEntry(spec: ServerSpec): Record<string, unknown> {
  if ('url' in spec) return spec.type === 'sse' ? { type: 'sse', url: spec.url } : { url: spec.url };
  return { command: spec.command, args: spec.args ?? [], env: spec.env ?? {} };
}

/**
 * The SDK's stdio transport waits two seconds for a server to leave on its own before it signals it;
 * reference servers never leave on stdin EOF, so the test signals first and the close returns at once.
 */
async function closeClient(client: Client): Promise<void> {
  const pid = (client.transport as StdioClientTransport | undefined)?.pid;
  if (client.transport instanceof StdioClientTransport && typeof pid === 'number' && isAlive(pid))
    process.kill(pid, 'SIGTERM');
  await client.close().catch(() => {});
}

function recordNotifications(client: Client, into: Side['notifications']): void {
  const previous = client.fallbackNotificationHandler;
  client.fallbackNotificationHandler = async (notification) => {
    into.push(notification as Side['notifications'][number]);
    await previous?.(notification);
  };
  for (const method of [
    'notifications/tools/list_changed',
    'notifications/message',
    'notifications/resources/list_changed',
    'notifications/prompts/list_changed',
  ] as const)
    client.setNotificationHandler(method, (notification) => void into.push(notification));
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: { code?: unknown; message: string } };

/** Runs `scenario` against both sides at once; a thrown error becomes an outcome to compare. */
export async function runBothWays<T>(
  both: Pick<BothWays, 'direct' | 'pml'>,
  scenario: (side: Side) => Promise<T>,
): Promise<{ direct: Outcome<T>; pml: Outcome<T> }> {
  const [direct, pml] = await Promise.all([toOutcome(scenario, both.direct), toOutcome(scenario, both.pml)]);
  return { direct, pml };
}

async function toOutcome<T>(scenario: (side: Side) => Promise<T>, side: Side): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await scenario(side) };
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: string };
    return { ok: false, error: { code, message: message ?? String(error) } };
  }
}

/** Every page of tools/list, in order. */
export async function listEveryTool(client: Client): Promise<Tool[]> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : undefined);
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor);
  return tools;
}

/** A side's tools under their bare names: through pml, only `serverId`'s, prefix removed. */
export async function listBareTools(side: Side, serverId: string): Promise<Tool[]> {
  const tools = await listEveryTool(side.client);
  if (side.way === 'direct') return tools;
  const prefix = `${serverId}__`;
  return tools
    .filter((tool) => tool.name.startsWith(prefix))
    .map((tool) => ({ ...tool, name: tool.name.slice(prefix.length) }));
}
