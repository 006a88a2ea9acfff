import { describe, expect, it } from 'vitest';
import { DAGExecutionError } from '../errors/index.js';
import type { WorkflowTools } from './ports.js';
import { validateWorkflow } from './validate-workflow.js';
import { MAX_WORKFLOW_TASKS } from './workflow-schema.js';

// A fake tool source: two tools, one of which needs a string `text`.
const tools: WorkflowTools = {
  lookup: async (name) =>
    ({
      a__echo: {
        serverId: 'a',
        problemsWith: (args: Record<string, unknown>) =>
          typeof args.text === 'string' ? [] : ['missing required property "text"'],
      },
      b__list: { serverId: 'b', problemsWith: () => [] },
    })[name],
  invoke: () => Promise.reject(new Error('validation never calls a tool')),
};

const task = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  tool: 'b__list',
  arguments: {},
  ...extra,
});

async function problemsOf(workflow: unknown): Promise<string> {
  const error = await validateWorkflow(workflow, tools).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DAGExecutionError);
  expect((error as DAGExecutionError).data.phase).toBe('validate');
  return (error as DAGExecutionError).message;
}

describe('validateWorkflow', () => {
  it('plans layers from depends_on and from references, and knows each task’s server', async () => {
    const plan = await validateWorkflow(
      {
        tasks: [
          task('root'),
          task('left', { depends_on: ['root'] }),
          task('right', { tool: 'a__echo', arguments: { text: 'Got $OUTPUT[root].items[0]' } }),
          task('join', { depends_on: ['left', 'right'] }),
        ],
      },
      tools,
    );
    expect(plan.layers).toEqual([['root'], ['left', 'right'], ['join']]);
    expect(plan.tasks.get('right')).toMatchObject({
      dependsOn: ['root'],
      hasReferences: true,
      serverId: 'a',
      layer: 1,
    });
    expect(plan.edges).toEqual(['root→left', 'root→right', 'left→join', 'right→join']);
    expect(plan.options).toEqual({
      failure_policy: 'fail_fast',
      max_concurrency: 32,
      max_concurrency_per_server: 32,
    });
  });

  it('rejects duplicate ids', async () => {
    expect(await problemsOf({ tasks: [task('x'), task('x')] })).toContain(
      'task "x": the id "x" is used by more than one task',
    );
  });

  it('rejects an unknown dependency', async () => {
    expect(await problemsOf({ tasks: [task('x', { depends_on: ['ghost'] })] })).toContain(
      'task "x": it depends on "ghost", which is not a task of this workflow',
    );
  });

  it('rejects a self-dependency', async () => {
    expect(await problemsOf({ tasks: [task('x', { depends_on: ['x'] })] })).toContain(
      'task "x": it depends on itself',
    );
  });

  it('rejects a cycle, naming it', async () => {
    const message = await problemsOf({
      tasks: [
        task('a', { depends_on: ['c'] }),
        task('b', { depends_on: ['a'] }),
        task('c', { arguments: { q: '$OUTPUT[b]' } }),
      ],
    });
    expect(message).toContain('its dependencies form a cycle: a → c → b → a');
  });

  it('rejects a reference to a task that does not exist', async () => {
    expect(await problemsOf({ tasks: [task('x', { arguments: { q: '$OUTPUT[nope].id' } })] })).toContain(
      'task "x": its arguments read $OUTPUT[nope], but no task has the id "nope"',
    );
  });

  it('rejects an unknown tool', async () => {
    expect(await problemsOf({ tasks: [task('x', { tool: 'c__missing' })] })).toContain(
      'task "x": unknown tool "c__missing"',
    );
  });

  it('checks arguments against the tool schema where no reference is involved', async () => {
    const message = await problemsOf({
      tasks: [
        task('plain', { tool: 'a__echo', arguments: {} }),
        task('other', { tool: 'b__list' }),
        task('ref', { tool: 'a__echo', arguments: { other: '$OUTPUT[other]' } }),
      ],
    });
    expect(message).toContain(
      'task "plain": invalid arguments for a__echo: missing required property "text"',
    );
    expect(message).not.toContain('task "ref"');
  });

  it('rejects arguments that are not an object, naming the task', async () => {
    expect(await problemsOf({ tasks: [task('x', { arguments: 'read it all' })] })).toMatch(
      /task "x": arguments Expected object/,
    );
  });

  it('names the shape problems in the words clients have always read', async () => {
    const message = await problemsOf({
      tasks: [{ tool: 'b__list' }, task('x', { tool: '', timeout_ms: 1.5, extra: true })],
      options: { failure_policy: 'stop', max_concurrency: 65 },
    });
    expect(message.split('\n').slice(1)).toEqual([
      '  - task "#1": id Required',
      '  - task "x": tool String must contain at least 1 character(s)',
      '  - task "x": timeout_ms Expected integer, received float',
      `  - task "x": Unrecognized key(s) in object: 'extra'`,
      `  - options.failure_policy: Invalid enum value. Expected 'fail_fast' | 'continue', received 'stop'`,
      '  - options.max_concurrency: Number must be less than or equal to 64',
    ]);
  });

  it('rejects more tasks than the cap before looking at any of them', async () => {
    const many = Array.from({ length: 10_000 }, (_, index) => task(`t${index}`));
    const message = await problemsOf({ tasks: many });
    expect(message).toContain(`a workflow has at most ${MAX_WORKFLOW_TASKS} tasks`);
  });

  it('lists every problem at once', async () => {
    const message = await problemsOf({
      tasks: [task('x', { depends_on: ['x'] }), task('y', { tool: 'nope' })],
    });
    expect(message).toMatch(
      /nothing ran:\n {2}- task "x": it depends on itself\n {2}- task "y": unknown tool "nope"/,
    );
  });
});
