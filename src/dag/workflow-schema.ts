// The workflow definition a client sends to execute_workflow (and `pml run` reads from a file),
// checked at the boundary. The caps keep one request from occupying the gateway: they are
// documented in the README and named in the errors.
import { z } from 'zod';

/** More tasks than this is refused before anything runs. */
export const MAX_WORKFLOW_TASKS = 1_000;
/** The most calls one workflow runs at once, and the default. */
export const MAX_CONCURRENCY = 64;
export const DEFAULT_CONCURRENCY = 32;
/** The default cap per downstream server: lower it in `options` for a server that cannot take that many. */
export const DEFAULT_CONCURRENCY_PER_SERVER = 32;
/** A task's own timeout may not exceed this (10 minutes). */
export const MAX_TASK_TIMEOUT_MS = 600_000;

export const FAILURE_POLICIES = ['fail_fast', 'continue'] as const;
export type FailurePolicy = (typeof FAILURE_POLICIES)[number];

const TASK_ID = /^[A-Za-z0-9_-]{1,64}$/;

const taskSchema = z
  .object({
    id: z.string().regex(TASK_ID, 'must be 1 to 64 letters, digits, "_" or "-"'),
    tool: z.string().min(1),
    arguments: z.record(z.string(), z.unknown()).default({}),
    depends_on: z.array(z.string()).default([]),
    timeout_ms: z.number().int().positive().max(MAX_TASK_TIMEOUT_MS).optional(),
  })
  .strict();

const optionsSchema = z
  .object({
    failure_policy: z.enum(FAILURE_POLICIES).default('fail_fast'),
    max_concurrency: z.number().int().positive().max(MAX_CONCURRENCY).default(DEFAULT_CONCURRENCY),
    max_concurrency_per_server: z
      .number()
      .int()
      .positive()
      .max(MAX_CONCURRENCY)
      .default(DEFAULT_CONCURRENCY_PER_SERVER),
  })
  .strict();

export const workflowSchema = z
  .object({
    tasks: z
      .array(taskSchema)
      .min(1, 'a workflow needs at least one task')
      .max(MAX_WORKFLOW_TASKS, `a workflow has at most ${MAX_WORKFLOW_TASKS} tasks; split it into several`),
    // Left out, the options are parsed as {} (`.prefault`), so each default applies.
    options: optionsSchema.prefault({}),
  })
  .strict();

export type Workflow = z.infer<typeof workflowSchema>;
export type WorkflowTask = Workflow['tasks'][number];
export type WorkflowOptions = Workflow['options'];

/** The input schema execute_workflow lists (JSON Schema; the zod schema above has the last word). */
export const WORKFLOW_INPUT_SCHEMA = {
  type: 'object',
  properties: {
    tasks: {
      type: 'array',
      minItems: 1,
      description: `The tool calls, at most ${MAX_WORKFLOW_TASKS}. Independent tasks run at once.`,
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', description: 'Unique id: letters, digits, "_" or "-".' },
          tool: { type: 'string', description: 'A tool name as tools/list shows it.' },
          arguments: {
            type: 'object',
            description:
              'The tool arguments. A string "$OUTPUT[id]" is replaced by that task\'s output, "$OUTPUT[id].path.to[0]" by part of it (JSON text is parsed), also inside longer strings. A reference makes the task wait for that one.',
          },
          depends_on: { type: 'array', items: { type: 'string' }, description: 'Ids of tasks to wait for.' },
          timeout_ms: { type: 'integer', minimum: 1, maximum: MAX_TASK_TIMEOUT_MS },
        },
        required: ['id', 'tool'],
      },
    },
    options: {
      type: 'object',
      properties: {
        failure_policy: {
          type: 'string',
          enum: [...FAILURE_POLICIES],
          description:
            'fail_fast (default): the first failure cancels running tasks and skips the rest. continue: only dependents of a failed task are skipped.',
        },
        max_concurrency: { type: 'integer', minimum: 1, maximum: MAX_CONCURRENCY },
        max_concurrency_per_server: { type: 'integer', minimum: 1, maximum: MAX_CONCURRENCY },
      },
    },
  },
  required: ['tasks'],
} as const;
