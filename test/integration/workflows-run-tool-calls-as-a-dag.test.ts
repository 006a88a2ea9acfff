// execute_workflow end to end in process: a real SDK client calls the meta-tool, the gateway runs
// the DAG over its ToolInvoker, real SDK servers answer. Servers signal what they saw (arrivals,
// cancellations) and the tests wait on those events.
import type { Client } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createDeferred,
  createToolServer,
  startInProcessGateway,
  textResult,
  type InProcessGateway,
  type ToolExtra,
} from '../helpers/in-process.js';

interface TaskOutcome {
  id: string;
  status: string;
  result?: { content: { text: string }[] };
  error?: { code?: string; message: string };
  reason?: string;
  layer: number;
}
interface WorkflowResult {
  status: string;
  tasks: TaskOutcome[];
  layers: string[][];
  critical_path: string[];
}

let harness: InProcessGateway | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Resolves when `signal` aborts: how a server sees the gateway's notifications/cancelled. */
const whenAborted = (extra: ToolExtra) =>
  new Promise<void>((resolve) =>
    extra.mcpReq.signal.addEventListener('abort', () => resolve(), { once: true }),
  );

function startServers() {
  const hangStarted = createDeferred();
  const hangCancelled = createDeferred();
  let active = 0;
  let maxActive = 0;
  let waiting: (() => void)[] = [];
  let arrived = 0;
  const gate = { target: 1, total: 1 };
  return {
    hangStarted,
    hangCancelled,
    gate,
    maxActive: () => maxActive,
    start: (gatewayOptions: Record<string, unknown> = {}) =>
      startInProcessGateway({
        gateway: gatewayOptions,
        servers: {
          data: () =>
            createToolServer({
              user: {
                handle: () =>
                  textResult(JSON.stringify({ name: 'Ada', address: { city: 'London' }, tags: ['x', 'y'] })),
              },
              stats: {
                handle: () => ({
                  content: [{ type: 'text', text: 'stats' }],
                  structuredContent: { rows: [{ n: 42 }] },
                }),
              },
              echo: { handle: (args) => textResult(JSON.stringify(args)) },
              fail: {
                handle: async () => {
                  await hangStarted.promise;
                  return { content: [{ type: 'text', text: 'no such record' }], isError: true };
                },
              },
              hang: {
                handle: async (_args, extra) => {
                  hangStarted.resolve();
                  await whenAborted(extra);
                  hangCancelled.resolve();
                  return textResult('cancelled');
                },
              },
              // Holds each call until `gate.target` calls are in at once (or the last one arrived).
              gate: {
                handle: async () => {
                  active++;
                  arrived++;
                  maxActive = Math.max(maxActive, active);
                  const released = new Promise<void>((resolve) => waiting.push(resolve));
                  if (active >= gate.target || arrived === gate.total) {
                    for (const release of waiting) release();
                    waiting = [];
                  }
                  await released;
                  active--;
                  return textResult('through');
                },
              },
            }),
        },
      }),
  };
}

async function runWorkflow(client: Client, args: Record<string, unknown>, options = {}) {
  const answer = await client.callTool({ name: 'execute_workflow', arguments: args }, options);
  return { answer, result: answer.structuredContent as unknown as WorkflowResult };
}

const byId = (result: WorkflowResult) => Object.fromEntries(result.tasks.map((task) => [task.id, task]));

describe('execute_workflow', () => {
  it('resolves whole, nested and embedded references from earlier results', async () => {
    const servers = startServers();
    harness = await servers.start();
    const client = await harness.connectClient();

    const { answer, result } = await runWorkflow(client, {
      tasks: [
        { id: 'u', tool: 'data__user' },
        { id: 's', tool: 'data__stats' },
        {
          id: 'e',
          tool: 'data__echo',
          arguments: {
            whole: '$OUTPUT[u]',
            city: '$OUTPUT[u].address.city',
            tag: '$OUTPUT[u].tags[1]',
            n: '$OUTPUT[s].rows[0].n',
            line: 'Hello $OUTPUT[u].name from $OUTPUT[u].address.city, n=$OUTPUT[s].rows[0].n',
          },
        },
      ],
    });

    expect(answer.isError).toBeUndefined();
    expect(result.status).toBe('ok');
    expect(result.layers).toEqual([['u', 's'], ['e']]);
    expect(JSON.parse(byId(result).e!.result!.content[0]!.text)).toEqual({
      whole: JSON.stringify({ name: 'Ada', address: { city: 'London' }, tags: ['x', 'y'] }),
      city: 'London',
      tag: 'y',
      n: 42,
      line: 'Hello Ada from London, n=42',
    });
  });

  it('runs the tasks of a layer at once', async () => {
    const servers = startServers();
    servers.gate.target = 4;
    servers.gate.total = 4;
    harness = await servers.start();
    const client = await harness.connectClient();

    const tasks = ['a', 'b', 'c', 'd'].map((id) => ({ id, tool: 'data__gate' }));
    const { result } = await runWorkflow(client, { tasks });

    // Each call is held until all four are in: run one by one, this would never finish.
    expect(result.status).toBe('ok');
    expect(servers.maxActive()).toBe(4);
  });

  it('keeps to the per-server concurrency cap', async () => {
    const servers = startServers();
    servers.gate.target = 2;
    servers.gate.total = 6;
    harness = await servers.start();
    const client = await harness.connectClient();

    const tasks = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => ({ id, tool: 'data__gate' }));
    const { result } = await runWorkflow(client, { tasks, options: { max_concurrency_per_server: 2 } });

    expect(result.status).toBe('ok');
    expect(servers.maxActive()).toBe(2);
  });

  it('fail_fast cancels what runs downstream and skips the rest', async () => {
    const servers = startServers();
    harness = await servers.start();
    const client = await harness.connectClient();

    const { answer, result } = await runWorkflow(client, {
      tasks: [
        { id: 'slow', tool: 'data__hang' },
        { id: 'bad', tool: 'data__fail' },
        { id: 'after_bad', tool: 'data__echo', depends_on: ['bad'] },
        { id: 'after_slow', tool: 'data__echo', depends_on: ['slow'] },
      ],
    });

    await servers.hangCancelled.promise;
    expect(answer.isError).toBe(true);
    expect(result.status).toBe('failed');
    const tasks = byId(result);
    expect(tasks.bad).toMatchObject({
      status: 'error',
      error: { code: 'TOOL_RESULT_ERROR', message: 'no such record' },
    });
    expect(tasks.slow).toMatchObject({
      status: 'cancelled',
      reason: expect.stringContaining('"bad" failed'),
    });
    expect(tasks.after_bad).toMatchObject({ status: 'skipped', reason: 'it depends on "bad", which failed' });
    expect(tasks.after_slow).toMatchObject({
      status: 'skipped',
      reason: 'it depends on "slow", which was cancelled',
    });
  });

  it('continue skips only the dependents of a failed task', async () => {
    const servers = startServers();
    servers.hangStarted.resolve();
    harness = await servers.start();
    const client = await harness.connectClient();

    const { result } = await runWorkflow(client, {
      tasks: [
        { id: 'bad', tool: 'data__fail' },
        { id: 'after_bad', tool: 'data__echo', depends_on: ['bad'] },
        { id: 'deeper', tool: 'data__echo', depends_on: ['after_bad'] },
        { id: 'good', tool: 'data__user' },
        { id: 'after_good', tool: 'data__echo', arguments: { city: '$OUTPUT[good].address.city' } },
      ],
      options: { failure_policy: 'continue' },
    });

    expect(result.status).toBe('failed');
    expect(result.tasks.map((task) => [task.id, task.status])).toEqual([
      ['bad', 'error'],
      ['after_bad', 'skipped'],
      ['deeper', 'skipped'],
      ['good', 'ok'],
      ['after_good', 'ok'],
    ]);
    expect(byId(result).deeper!.reason).toBe('it depends on "after_bad", which was skipped');
  });

  it('a task timeout cancels its downstream call', async () => {
    const servers = startServers();
    harness = await servers.start();
    const client = await harness.connectClient();

    const { result } = await runWorkflow(client, {
      tasks: [
        { id: 'stuck', tool: 'data__hang', timeout_ms: 50 },
        { id: 'next', tool: 'data__echo', depends_on: ['stuck'] },
      ],
    });

    await servers.hangCancelled.promise;
    expect(byId(result).stuck).toMatchObject({ status: 'error', error: { code: 'TIMEOUT' } });
    expect(byId(result).next!.status).toBe('skipped');
    const cancels = harness
      .messagesTo('data')
      .filter((message) => 'method' in message && message.method === 'notifications/cancelled');
    expect(cancels).toHaveLength(1);
  });

  it('a path that is not in a result fails that task with what the result has', async () => {
    const servers = startServers();
    harness = await servers.start();
    const client = await harness.connectClient();

    const { result } = await runWorkflow(client, {
      tasks: [
        { id: 'u', tool: 'data__user' },
        { id: 'e', tool: 'data__echo', arguments: { zip: '$OUTPUT[u].address.zip' } },
      ],
    });

    expect(byId(result).e).toMatchObject({
      status: 'error',
      error: {
        code: 'REFERENCE_NOT_FOUND',
        message: '$OUTPUT[u].address.zip: $OUTPUT[u].address has no "zip" (it has "city")',
      },
    });
  });

  it('cancelling the workflow request cancels every running task, and the gateway keeps serving', async () => {
    const servers = startServers();
    harness = await servers.start();
    const client = await harness.connectClient();
    const controller = new AbortController();

    const running = runWorkflow(
      client,
      {
        tasks: [
          { id: 'stuck', tool: 'data__hang' },
          { id: 'later', tool: 'data__echo', depends_on: ['stuck'] },
        ],
      },
      { signal: controller.signal },
    );
    await servers.hangStarted.promise;
    controller.abort('changed my mind');

    await expect(running).rejects.toThrow();
    await servers.hangCancelled.promise;
    const after = await client.callTool({ name: 'data__echo', arguments: { still: 'here' } });
    expect(after.content).toEqual([{ type: 'text', text: '{"still":"here"}' }]);
  });

  it('runs a 100-deep chain, each task reading the one before', async () => {
    const servers = startServers();
    harness = await servers.start();
    const client = await harness.connectClient();
    const tasks = Array.from({ length: 100 }, (_, index) =>
      index === 0
        ? { id: 't0', tool: 'data__echo', arguments: { n: 0 } }
        : { id: `t${index}`, tool: 'data__echo', arguments: { n: `$OUTPUT[t${index - 1}].n` } },
    );

    const { result } = await runWorkflow(client, { tasks });

    expect(result.status).toBe('ok');
    expect(result.layers).toHaveLength(100);
    expect(result.critical_path).toHaveLength(100);
    expect(byId(result).t99!.result!.content[0]!.text).toBe('{"n":0}');
  });

  it('reports progress once per task when the client asks for it', async () => {
    const servers = startServers();
    harness = await servers.start();
    const client = await harness.connectClient();
    const progress: { progress: number; total?: number; message?: string }[] = [];

    await runWorkflow(
      client,
      {
        tasks: [
          { id: 'u', tool: 'data__user' },
          { id: 'e', tool: 'data__echo', arguments: { x: '$OUTPUT[u].name' } },
        ],
      },
      { onprogress: (update: (typeof progress)[number]) => progress.push(update) },
    );

    expect(progress).toEqual([
      { progress: 1, total: 2, message: 'task u: ok' },
      { progress: 2, total: 2, message: 'task e: ok' },
    ]);
  });

  it('answers an invalid workflow with every problem and runs nothing', async () => {
    const servers = startServers();
    harness = await servers.start();
    const client = await harness.connectClient();

    const { answer } = await runWorkflow(client, {
      tasks: [
        { id: 'a', tool: 'data__echo', depends_on: ['b'] },
        { id: 'b', tool: 'data__echo', depends_on: ['a'] },
        { id: 'c', tool: 'data__nope' },
      ],
    });

    expect(answer.isError).toBe(true);
    expect((answer.content as { text: string }[])[0]!.text).toBe(
      'The workflow is invalid, so nothing ran:\n  - task "a": its dependencies form a cycle: a → b → a (each waits for the next)\n  - task "c": unknown tool "data__nope"; call tools/list (or search_tools) to see the tools',
    );
    expect(
      harness.messagesTo('data').filter((message) => 'method' in message && message.method === 'tools/call'),
    ).toEqual([]);
  });
});
