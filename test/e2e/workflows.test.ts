// execute_workflow through the built gateway over stdio, with the real memory reference server and
// our fixture, and telemetry pointed at a real envelope receiver: a 10-task workflow, the span tree
// (dag.execute → dag.layer.execute → mcp.client), and a task whose server crashes mid-call.
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureServer, startStdioGateway, type StdioGateway } from '../helpers/gateway.js';
import { NODE } from '../helpers/paths.js';
import { startSentryReceiver, type SentryReceiver } from '../helpers/sentry-receiver.js';
import { lastException, type ReceivedEvent, type ReceivedTransaction } from '../helpers/sentry-shapes.js';

const require = createRequire(import.meta.url);
const MEMORY_SERVER = join(
  dirname(require.resolve('@modelcontextprotocol/server-memory/package.json')),
  'dist',
  'index.js',
);
// Not personal data, so no scrubber would catch it: only the rule "never argument values" keeps it out.
const ARGUMENT_MARKER = 'workflow-argument-marker-7d1f';

let receiver: SentryReceiver;
let gateway: StdioGateway;

beforeAll(async () => {
  receiver = await startSentryReceiver();
  const memoryDir = mkdtempSync(join(tmpdir(), 'pml-memory-'));
  gateway = await startStdioGateway(
    {
      mcpServers: {
        memory: {
          command: NODE,
          args: [MEMORY_SERVER],
          env: { MEMORY_FILE_PATH: join(memoryDir, 'memory.jsonl') },
        },
        fixture: fixtureServer(),
      },
    },
    { env: { SENTRY_DSN: receiver.dsn, SENTRY_TRACES_SAMPLE_RATE: '1', SENTRY_ENVIRONMENT: 'test' } },
  );
});

afterAll(async () => {
  await gateway?.close();
  await receiver?.close();
});

const entity = (name: string) => ({ name, entityType: 'city', observations: [`${name} has a river`] });

describe('execute_workflow over stdio', () => {
  it('runs a 10-task workflow over real servers, layer by layer', async () => {
    const answer = await gateway.client.callTool({
      name: 'execute_workflow',
      arguments: {
        tasks: [
          { id: 'paris', tool: 'memory__create_entities', arguments: { entities: [entity('Paris')] } },
          { id: 'rome', tool: 'memory__create_entities', arguments: { entities: [entity('Rome')] } },
          { id: 'oslo', tool: 'memory__create_entities', arguments: { entities: [entity('Oslo')] } },
          { id: 'echo1', tool: 'fixture__echo', arguments: { text: ARGUMENT_MARKER } },
          { id: 'graph', tool: 'memory__read_graph', depends_on: ['paris', 'rome', 'oslo'] },
          {
            id: 'first',
            tool: 'memory__open_nodes',
            arguments: { names: ['$OUTPUT[graph].entities[0].name'] },
          },
          {
            id: 'search',
            tool: 'memory__search_nodes',
            arguments: { query: 'river' },
            depends_on: ['graph'],
          },
          {
            id: 'say',
            tool: 'fixture__echo',
            arguments: { text: 'First city: $OUTPUT[first].entities[0].name' },
          },
          { id: 'slow', tool: 'fixture__slow', arguments: { ms: 20 } },
          {
            id: 'last',
            tool: 'fixture__echo',
            arguments: { text: '$OUTPUT[echo1]' },
            depends_on: ['say', 'search', 'slow'],
          },
        ],
      },
    });
    const result = answer.structuredContent as {
      status: string;
      layers: string[][];
      tasks: { id: string; status: string; result?: { content: { text: string }[] } }[];
    };

    expect(result.status).toBe('ok');
    expect(result.layers).toEqual([
      ['paris', 'rome', 'oslo', 'echo1', 'slow'],
      ['graph'],
      ['first', 'search'],
      ['say'],
      ['last'],
    ]);
    const say = result.tasks.find((task) => task.id === 'say')!;
    expect(say.result!.content[0]!.text).toMatch(/^Echo: First city: (Paris|Rome|Oslo)$/);
  });

  it('nests a dag.execute span, a span per layer and each task’s mcp.client span under its layer', async () => {
    const transaction = await receiver.waitFor(() =>
      (receiver.transactions() as ReceivedTransaction[]).find(
        (t) => t.transaction === 'tools/call execute_workflow',
      ),
    );
    expect(transaction.contexts?.trace?.data).toMatchObject({
      'pml.operation': 'mcp.execute_workflow',
      'pml.workflow.tasks_count': 10,
      'pml.workflow.layers_count': 5,
    });
    const spans = transaction.spans ?? [];
    const dag = spans.find((span) => span.op === 'dag.execute')!;
    expect(dag).toMatchObject({
      description: 'dag.execute (10 tasks, 5 layers)',
      parent_span_id: transaction.contexts?.trace?.span_id,
    });
    const layers = spans.filter((span) => span.op === 'dag.layer.execute');
    expect(layers.map((span) => span.description).sort()).toEqual([
      'Layer 0 (5 tasks)',
      'Layer 1 (1 tasks)',
      'Layer 2 (2 tasks)',
      'Layer 3 (1 tasks)',
      'Layer 4 (1 tasks)',
    ]);
    for (const layer of layers) expect(layer.parent_span_id).toBe(dag.span_id);
    const layer2 = layers.find((span) => span.description === 'Layer 2 (2 tasks)')!;
    const calls = spans.filter((span) => span.op === 'mcp.client');
    expect(calls).toHaveLength(10);
    expect(
      calls
        .filter((span) => span.parent_span_id === layer2.span_id)
        .map((span) => span.description)
        .sort(),
    ).toEqual(['tools/call open_nodes', 'tools/call search_nodes']);
  });

  it('reports a task whose server crashes as a DAGExecutionError with the structure, and keeps serving', async () => {
    const answer = await gateway.client.callTool({
      name: 'execute_workflow',
      arguments: {
        tasks: [
          { id: 'boom', tool: 'fixture__crash', arguments: {} },
          { id: 'then', tool: 'fixture__echo', arguments: { text: ARGUMENT_MARKER }, depends_on: ['boom'] },
        ],
      },
    });
    const result = answer.structuredContent as {
      tasks: { id: string; status: string; error?: { code: string } }[];
    };
    expect(answer.isError).toBe(true);
    expect(result.tasks.map((task) => [task.id, task.status, task.error?.code])).toEqual([
      ['boom', 'error', 'MCP_SERVER_ERROR'],
      ['then', 'skipped', undefined],
    ]);

    const event = await receiver.waitFor(() =>
      (receiver.events() as ReceivedEvent[]).find((e) => lastException(e)?.type === 'DAGExecutionError'),
    );
    expect(lastException(event)?.value).toBe(
      'Task "boom" (fixture__crash) failed in layer 0: MCP_SERVER_ERROR',
    );
    expect(event.contexts?.pml_error).toMatchObject({
      code: 'DAG_EXECUTION_FAILED',
      phase: 'execute',
      taskIds: ['boom', 'then'],
      edges: ['boom→then'],
      failedTask: 'boom',
      layer: 0,
    });
    expect(receiver.rawText()).not.toContain(ARGUMENT_MARKER);

    const after = await gateway.client.callTool({
      name: 'fixture__echo',
      arguments: { text: 'still serving' },
    });
    expect(after.isError).toBeFalsy();
  });
});
