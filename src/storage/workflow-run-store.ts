// Finished workflow runs (`pml run`, execute_workflow), for `pml stats` and the run history.
import { DatabaseError } from '../errors/index.js';
import type { Database } from './database.js';
import { STORAGE_TABLES } from './operations.js';
import { toLimit } from './to-limit.js';
import type { StoreKind, WorkflowRun, WorkflowRunStore } from './types.js';

const RUNS = STORAGE_TABLES.workflowRuns;
const DEFAULT_LIST_LIMIT = 50;

interface RunRow {
  [key: string]: unknown;
  id: string;
  started_at: Date;
  duration_ms: number;
  status: string;
  tasks: unknown;
}

export function createWorkflowRunStore(database: Database): WorkflowRunStore {
  return {
    save: (run, options) =>
      database.run('workflowRuns.save', options, async (sql) => {
        await sql.query(
          `INSERT INTO ${RUNS} (id, started_at, duration_ms, status, tasks) VALUES ($1, $2, $3, $4, $5::json)
           ON CONFLICT (id) DO UPDATE SET started_at = excluded.started_at,
             duration_ms = excluded.duration_ms, status = excluded.status, tasks = excluded.tasks`,
          [run.id, run.startedAt, run.durationMs, run.status, toTasksJson(run.tasks, database.store)],
        );
      }),
    list: (options) =>
      database.run('workflowRuns.list', options, async (sql) => {
        const rows = await sql.query<RunRow>(
          `SELECT id, started_at, duration_ms, status, tasks FROM ${RUNS}
           ORDER BY started_at DESC, id LIMIT $1`,
          [toLimit(options?.limit, DEFAULT_LIST_LIMIT)],
        );
        return rows.map(toWorkflowRun);
      }),
    get: (id, options) =>
      database.run('workflowRuns.get', options, async (sql) => {
        const [row] = await sql.query<RunRow>(
          `SELECT id, started_at, duration_ms, status, tasks FROM ${RUNS} WHERE id = $1`,
          [id],
        );
        return row ? toWorkflowRun(row) : undefined;
      }),
  };
}

function toTasksJson(tasks: unknown, store: StoreKind): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(tasks);
  } catch (error) {
    throw new DatabaseError(
      'workflowRuns.save was given tasks that are not JSON (a cycle or a BigInt)',
      { operation: 'workflowRuns.save', store },
      { cause: error },
    );
  }
  return json ?? 'null';
}

function toWorkflowRun(row: RunRow): WorkflowRun {
  return {
    id: row.id,
    startedAt: row.started_at,
    durationMs: row.duration_ms,
    status: row.status,
    tasks: row.tasks,
  };
}
