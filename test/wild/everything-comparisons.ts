// The comparisons every transport of server-everything goes through: the same client code straight
// to the server and through pml, side by side. Each transport's test file opens both ways once and
// hands them here.
import type { Client, ClientOptions } from '@modelcontextprotocol/client';
import { expect, it } from 'vitest';
import {
  listBareTools,
  runBothWays,
  type BothWays,
  type OpenOptions,
  type Side,
} from '../helpers/direct-and-through-pml.js';
import { textOf, waitFor } from '../helpers/gateway.js';

export const EVERYTHING_ID = 'everything';

/** What a client that answers the server's requests records of them, per side. */
export const serverRequests: Record<'direct' | 'pml', { method: string; params: unknown }[]> = {
  direct: [],
  pml: [],
};

/** One client for both sides: it can sample, elicit and list roots, as pml tells servers it can. */
export const everythingClientOptions: OpenOptions = {
  clientOptions: {
    capabilities: { sampling: {}, elicitation: {}, roots: { listChanged: true } },
  } satisfies ClientOptions,
  setup: (client: Client, way) => {
    client.setRequestHandler('sampling/createMessage', async (request) => {
      serverRequests[way].push({ method: request.method, params: request.params });
      return { role: 'assistant', model: 'wild-test-model', content: { type: 'text', text: 'sampled text' } };
    });
    client.setRequestHandler('elicitation/create', async (request) => {
      serverRequests[way].push({ method: request.method, params: request.params });
      return { action: 'accept', content: { name: 'Ada', check: true } };
    });
    client.setRequestHandler('roots/list', async () => ({
      roots: [{ uri: 'file:///tmp/wild-root', name: 'wild root' }],
    }));
  },
};

// server-everything writes its own clock (toLocaleTimeString) and session ids into some answers; they
// differ between any two calls, through pml or not, so they are the one thing besides the prefix that
// is normalised.
const CLOCK = /\d{1,2}:\d{2}:\d{2}(\s?[AP]M)?/g;
const SESSION_ID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

export function withoutServerClock(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(CLOCK, '<time>').replace(SESSION_ID, '<session>');
  if (Array.isArray(value)) return value.map(withoutServerClock);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        key === 'blob' && typeof inner === 'string'
          ? Buffer.from(String(withoutServerClock(Buffer.from(inner, 'base64').toString('utf8')))).toString(
              'base64',
            )
          : withoutServerClock(inner),
      ]),
    );
  return value;
}

// Left out: get-env (each way's process has its own environment) and gzip-file-as-resource (it keeps
// its resources in one map for the whole process, so over HTTP the two ways overwrite each other's).
const CALLS: [string, Record<string, unknown>][] = [
  ['echo', { message: 'hello wild' }],
  ['get-sum', { a: 2, b: 40 }],
  ['get-tiny-image', {}],
  ['get-annotated-message', { messageType: 'error', includeImage: true }],
  ['get-resource-links', { count: 4 }],
  ['get-resource-reference', { resourceType: 'Text', resourceId: 2 }],
  ['get-resource-reference', { resourceType: 'Blob', resourceId: 3 }],
  ['get-structured-content', { location: 'Chicago' }],
  ['get-roots-list', {}],
];

const call = (side: Side, name: string, args: Record<string, unknown>) =>
  side.client.callTool({ name: side.name(name), arguments: args });

/** Registers the comparisons; `both()` is the pair the file opened in beforeAll. */
export function compareEverything(both: () => BothWays): void {
  it('lists the same tools: names after the prefix, descriptions, annotations, schemas byte for byte', async () => {
    const { direct, pml } = await runBothWays(both(), (side) => listBareTools(side, EVERYTHING_ID));
    expect(direct.ok && pml.ok).toBe(true);
    if (!direct.ok || !pml.ok) return;
    expect(pml.value.map((tool) => tool.name)).toEqual(direct.value.map((tool) => tool.name));
    expect(pml.value).toEqual(direct.value);
    for (const [index, tool] of direct.value.entries())
      expect(JSON.stringify(pml.value[index]!.inputSchema)).toBe(JSON.stringify(tool.inputSchema));
    expect(direct.value.length).toBeGreaterThan(10);
  });

  it.each(CALLS)('answers %s %j the same way', async (name, args) => {
    const outcomes = await runBothWays(both(), async (side) =>
      withoutServerClock(await call(side, name, args)),
    );
    expect(outcomes.direct.ok).toBe(true);
    expect(outcomes.pml).toEqual(outcomes.direct);
  });

  it('relays every progress notification of the long-running operation', async () => {
    const outcomes = await runBothWays(both(), async (side) => {
      const from = side.received.length;
      const result = await side.client.callTool(
        { name: side.name('trigger-long-running-operation'), arguments: { duration: 0.3, steps: 3 } },
        { onprogress: () => {} },
      );
      // Counted on the wire: the SDK client drops a progress notification that shares a chunk with
      // its result (see Side.received), whichever way it came.
      const progress = side.received
        .slice(from)
        .filter((message) => 'method' in message && message.method === 'notifications/progress')
        .map((message) => {
          const { progress: done, total } = (
            message as unknown as { params: { progress: number; total?: number } }
          ).params;
          return { progress: done, total };
        });
      return { result, progress };
    });
    expect(outcomes.direct.ok && outcomes.direct.value.progress.length).toBe(3);
    expect(outcomes.pml).toEqual(outcomes.direct);
  });

  it('brings the server sampling request to the client and its answer back', async () => {
    serverRequests.direct.length = serverRequests.pml.length = 0;
    const outcomes = await runBothWays(both(), (side) =>
      call(side, 'trigger-sampling-request', { prompt: 'say hi', maxTokens: 5 }),
    );
    expect(outcomes.direct.ok).toBe(true);
    expect(outcomes.pml).toEqual(outcomes.direct);
    expect(serverRequests.pml).toEqual(serverRequests.direct);
    expect(serverRequests.direct).toHaveLength(1);
  });

  it('brings the server elicitation request to the client and its answer back', async () => {
    serverRequests.direct.length = serverRequests.pml.length = 0;
    const outcomes = await runBothWays(both(), (side) => call(side, 'trigger-elicitation-request', {}));
    expect(outcomes.direct.ok).toBe(true);
    expect(outcomes.pml).toEqual(outcomes.direct);
    expect(serverRequests.pml).toEqual(serverRequests.direct);
    expect(serverRequests.direct).toHaveLength(1);
  });

  it('passes simulated log messages on, naming the server as their logger', async () => {
    const outcomes = await runBothWays(both(), async (side) => {
      const logsBefore = countLogs(side);
      const started = await call(side, 'toggle-simulated-logging', {});
      await waitFor(() => countLogs(side) > logsBefore);
      const stopped = await call(side, 'toggle-simulated-logging', {});
      const log = side.notifications.filter(isSimulatedLog).at(-1)!.params!;
      return {
        answers: withoutServerClock([started, stopped]),
        keys: Object.keys(log).sort(),
        logger: log.logger,
      };
    });
    expect(outcomes.direct.ok).toBe(true);
    if (!outcomes.direct.ok) return;
    // By design pml names the server that logged (as it prefixes its tools): the one difference.
    expect(outcomes.pml).toEqual({
      ok: true,
      value: {
        ...outcomes.direct.value,
        keys: [...new Set([...outcomes.direct.value.keys, 'logger'])].sort(),
        logger: EVERYTHING_ID,
      },
    });
  });

  it('lists and reads the same resources and resource templates', async () => {
    const outcomes = await runBothWays(both(), async (side) => {
      const { resources } = await side.client.listResources();
      const { resourceTemplates } = await side.client.listResourceTemplates();
      const reads = [];
      for (const uri of [
        resources[0]!.uri,
        'demo://resource/dynamic/text/7',
        'demo://resource/dynamic/blob/8',
      ])
        reads.push(await side.client.readResource({ uri }));
      return withoutServerClock({ resources, resourceTemplates, reads });
    });
    expect(outcomes.direct.ok).toBe(true);
    expect(outcomes.pml).toEqual(outcomes.direct);
  });

  it('lists and gets the same prompts, and completes their arguments', async () => {
    const outcomes = await runBothWays(both(), async (side) => {
      const { prompts } = await side.client.listPrompts();
      const bare = prompts
        .filter((prompt) => side.way === 'direct' || prompt.name.startsWith(`${EVERYTHING_ID}__`))
        .map((prompt) => ({ ...prompt, name: prompt.name.replace(`${EVERYTHING_ID}__`, '') }));
      const got = [
        await side.client.getPrompt({ name: side.name('simple-prompt') }),
        await side.client.getPrompt({ name: side.name('args-prompt'), arguments: { city: 'Lyon' } }),
        await side.client.getPrompt({
          name: side.name('resource-prompt'),
          arguments: { resourceType: 'Text', resourceId: '2' },
        }),
      ];
      const completions = [
        await side.client.complete({
          ref: { type: 'ref/prompt', name: side.name('completable-prompt') },
          argument: { name: 'name', value: 'A' },
          context: { arguments: { department: 'Engineering' } },
        }),
        await side.client.complete({
          ref: { type: 'ref/resource', uri: 'demo://resource/dynamic/text/{resourceId}' },
          argument: { name: 'resourceId', value: '4' },
        }),
      ];
      return withoutServerClock({ prompts: bare, got, completions });
    });
    expect(outcomes.direct.ok).toBe(true);
    expect(outcomes.pml).toEqual(outcomes.direct);
  });

  it('answers a bad argument with a tool error that names the field, then still serves', async () => {
    const outcomes = await runBothWays(both(), async (side) => {
      const bad = await call(side, 'get-sum', { a: 'two', b: 40 });
      const after = await call(side, 'echo', { message: 'still here' });
      return { bad, after };
    });
    if (!outcomes.direct.ok || !outcomes.pml.ok) throw new Error(JSON.stringify(outcomes));
    const { direct, pml } = { direct: outcomes.direct.value, pml: outcomes.pml.value };
    expect(direct.bad).toMatchObject({ isError: true, content: [{ type: 'text' }] });
    expect(textOf(direct.bad)).toMatch(/get-sum.*\ba\b/);
    // By design pml checks arguments against the tool's schema before the call leaves, so the words
    // are its own (and its error kind rides in _meta); the kind of answer is the server's: isError.
    expect(pml.bad).toMatchObject({ isError: true, content: [{ type: 'text' }] });
    expect(textOf(pml.bad)).toMatch(/^Invalid arguments for everything__get-sum: "a" must be number/);
    expect(pml.after).toEqual(direct.after);
  });
}

const isSimulatedLog = (notification: Side['notifications'][number]) =>
  notification.method === 'notifications/message' &&
  /level[- ]message/i.test(String(notification.params?.data));

const countLogs = (side: Side) => side.notifications.filter(isSimulatedLog).length;
