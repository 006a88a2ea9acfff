// Everything that can be known wrong before a workflow runs, each problem naming its task: the shape
// (zod), duplicate ids, unknown or self dependencies, cycles, malformed or dangling references,
// unknown tools, and arguments that fail the tool's schema where no reference is involved. All
// problems are reported at once; nothing runs unless there are none.
import type { z } from 'zod';
import { DAGExecutionError } from '../errors/index.js';
import {
  isIntegerFailure,
  joinQuoted,
  toRangeMessage,
  toReceived,
  type RawIssue,
} from '../shared/zod-issue-words.js';
import { findCycle, planLayers } from './plan-layers.js';
import type { WorkflowTools } from './ports.js';
import { ReferenceError, findReferences } from './references.js';
import { workflowSchema, type Workflow, type WorkflowOptions } from './workflow-schema.js';

export interface PlannedTask {
  id: string;
  tool: string;
  arguments: Record<string, unknown>;
  /** Explicit `depends_on` and the tasks its references read, without repeats. */
  dependsOn: string[];
  hasReferences: boolean;
  timeoutMs: number | undefined;
  serverId: string;
  layer: number;
}

export interface WorkflowPlan {
  tasks: Map<string, PlannedTask>;
  layers: string[][];
  options: WorkflowOptions;
  /** `from→to` per dependency, for telemetry (ids only, never arguments). */
  edges: string[];
}

/** Problems listed in one error; the rest are counted. */
const MAX_LISTED_PROBLEMS = 20;
/** Ids carried in an error's data; a 1,000-task workflow's structure would drown the event. */
const MAX_IDS_IN_ERROR = 100;

export async function validateWorkflow(input: unknown, tools: WorkflowTools): Promise<WorkflowPlan> {
  const parsed = workflowSchema.safeParse(input, { error: toShapeMessage });
  if (!parsed.success)
    throw toInvalid(
      parsed.error.issues.map((issue) => toShapeProblem(issue, input)),
      [],
    );
  const workflow: Workflow = parsed.data;
  const problems: Problem[] = [];
  const ids = new Set<string>();
  for (const task of workflow.tasks) {
    if (ids.has(task.id))
      problems.push({ task: task.id, text: `the id "${task.id}" is used by more than one task` });
    ids.add(task.id);
  }
  const nodes = workflow.tasks.map((task) => {
    let referenced: string[] = [];
    try {
      referenced = findReferences(task.arguments).map((reference) => reference.taskId);
    } catch (error) {
      if (!(error instanceof ReferenceError)) throw error;
      problems.push({ task: task.id, text: error.message });
    }
    for (const id of referenced.filter((id) => !ids.has(id)))
      problems.push({
        task: task.id,
        text: `its arguments read $OUTPUT[${id}], but no task has the id "${id}"`,
      });
    for (const id of task.depends_on.filter((id) => !ids.has(id)))
      problems.push({ task: task.id, text: `it depends on "${id}", which is not a task of this workflow` });
    const dependsOn = [...new Set([...task.depends_on, ...referenced])].filter((id) => ids.has(id));
    if (dependsOn.includes(task.id)) problems.push({ task: task.id, text: 'it depends on itself' });
    return { task, dependsOn, hasReferences: referenced.length > 0 };
  });
  const edges = nodes.flatMap((node) => node.dependsOn.map((from) => `${from}→${node.task.id}`));
  const graph = nodes.map((node) => ({
    id: node.task.id,
    dependsOn: node.dependsOn.filter((id) => id !== node.task.id),
  }));
  const cycle = problems.length === 0 ? findCycle(graph) : undefined;
  if (cycle)
    problems.push({
      task: cycle[0]!,
      text: `its dependencies form a cycle: ${cycle.join(' → ')} (each waits for the next)`,
    });

  const found = await Promise.all(workflow.tasks.map((task) => tools.lookup(task.tool)));
  nodes.forEach((node, index) => {
    const tool = found[index];
    if (!tool)
      problems.push({
        task: node.task.id,
        text: `unknown tool "${node.task.tool}"; call tools/list (or search_tools) to see the tools`,
      });
    else if (!node.hasReferences) {
      const schemaProblems = tool.problemsWith(node.task.arguments);
      if (schemaProblems.length > 0)
        problems.push({
          task: node.task.id,
          text: `invalid arguments for ${node.task.tool}: ${schemaProblems.join('; ')}`,
        });
    }
  });
  if (problems.length > 0)
    throw toInvalid(
      problems,
      workflow.tasks.map((task) => task.id),
      edges,
      cycle,
    );

  const layers = planLayers(graph);
  const layerOf = new Map(layers.flatMap((layer, index) => layer.map((id) => [id, index] as const)));
  const tasks = new Map(
    nodes.map((node, index) => [
      node.task.id,
      {
        id: node.task.id,
        tool: node.task.tool,
        arguments: node.task.arguments,
        dependsOn: node.dependsOn,
        hasReferences: node.hasReferences,
        timeoutMs: node.task.timeout_ms,
        serverId: found[index]!.serverId,
        layer: layerOf.get(node.task.id)!,
      },
    ]),
  );
  return { tasks, layers, options: workflow.options, edges };
}

interface Problem {
  task?: string | undefined;
  text: string;
}

function toShapeProblem(issue: z.core.$ZodIssue, input: unknown): Problem {
  const [first, index, ...rest] = issue.path;
  if (first === 'tasks' && typeof index === 'number') {
    const id = (input as { tasks?: { id?: unknown }[] }).tasks?.[index]?.id;
    const where = rest.length > 0 ? `${rest.join('.')} ` : '';
    return { task: typeof id === 'string' ? id : `#${index + 1}`, text: `${where}${issue.message}`.trim() };
  }
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { text: `${where}${issue.message}` };
}

// The wording of the shape problems (a message the schema sets itself wins). It is pml's own, so a
// zod upgrade does not change what clients read.
function toShapeMessage(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'Required';
      if (isIntegerFailure(issue)) return 'Expected integer, received float';
      return `Expected ${issue.expected === 'record' ? 'object' : issue.expected}, received ${toReceived(issue.input)}`;
    case 'invalid_value':
      if (issue.input === undefined) return 'Required';
      // An enum given a non-string has the wrong type, not a wrong value.
      if (typeof issue.input !== 'string')
        return `Expected ${joinQuoted(issue.values, ' | ')}, received ${toReceived(issue.input)}`;
      return `Invalid enum value. Expected ${joinQuoted(issue.values, ' | ')}, received '${issue.input}'`;
    case 'too_small':
    case 'too_big':
      return toRangeMessage(issue);
    case 'invalid_format':
      return issue.format === 'regex' ? 'Invalid' : `Invalid ${issue.format}`;
    case 'unrecognized_keys':
      return `Unrecognized key(s) in object: ${joinQuoted(issue.keys, ', ')}`;
    case 'invalid_union':
    case 'custom':
      return 'Invalid input';
    default:
      return undefined;
  }
}

function toInvalid(
  problems: Problem[],
  taskIds: string[],
  edges: string[] = [],
  cycle?: string[],
): DAGExecutionError {
  const lines = problems
    .slice(0, MAX_LISTED_PROBLEMS)
    .map((problem) => `  - ${problem.task !== undefined ? `task "${problem.task}": ` : ''}${problem.text}`);
  if (problems.length > MAX_LISTED_PROBLEMS)
    lines.push(`  - and ${problems.length - MAX_LISTED_PROBLEMS} more problems`);
  return new DAGExecutionError(`The workflow is invalid, so nothing ran:\n${lines.join('\n')}`, {
    phase: 'validate',
    taskCount: taskIds.length,
    taskIds: taskIds.slice(0, MAX_IDS_IN_ERROR),
    edges: edges.slice(0, MAX_IDS_IN_ERROR),
    failedTask: problems[0]?.task,
    ...(cycle ? { cycle } : {}),
  });
}
