// Failures of pml's own features (workflows, storage, search, the sandbox). Each carries the structure a fix
// needs (task ids and edges, the database operation, the search stage), never argument values or
// row contents: the data goes to Sentry as context.
import { PmlError } from './pml-error.js';

export interface DAGExecutionErrorData {
  [key: string]: unknown;
  /** `validate` (nothing ran) or `execute` (a task failed during the run). */
  phase: 'validate' | 'execute';
  taskIds: string[];
  /** `from→to` for each dependency. */
  edges: string[];
  failedTask?: string | undefined;
  /** The layer (0-based) the failed task ran in. */
  layer?: number | undefined;
  /** The tasks of a dependency cycle, in order. */
  cycle?: string[] | undefined;
}

export class DAGExecutionError extends PmlError<DAGExecutionErrorData> {
  constructor(message: string, data: DAGExecutionErrorData, options?: { cause?: unknown }) {
    super('DAG_EXECUTION_FAILED', message, data, options);
  }
}

export interface DatabaseErrorData {
  [key: string]: unknown;
  /** What storage was doing (`open`, `migrate`, `tools.upsert`, ...), never the values involved. */
  operation: string;
  store: 'pglite' | 'postgres';
}

export class DatabaseError extends PmlError<DatabaseErrorData> {
  constructor(message: string, data: DatabaseErrorData, options?: { cause?: unknown }) {
    super('DATABASE_ERROR', message, data, options);
  }
}

export interface VectorSearchErrorData {
  [key: string]: unknown;
  /** `embed`, `rank`, `index`. */
  stage: string;
  model?: string | undefined;
  queryLength?: number | undefined;
}

export class VectorSearchError extends PmlError<VectorSearchErrorData> {
  constructor(message: string, data: VectorSearchErrorData, options?: { cause?: unknown }) {
    super('VECTOR_SEARCH_FAILED', message, data, options);
  }
}

export interface SandboxExecutionErrorData {
  [key: string]: unknown;
  /** What went wrong: `syntax`, `thrown`, `memory`, `output_limit`, `result`, `tool_calls`, `crashed`, `protocol`, `start`. */
  reason: string;
  timeoutMs?: number | undefined;
  memoryLimitMb?: number | undefined;
  /** The names of the `context` variables, never their values. */
  contextKeys?: string[] | undefined;
  /** The first 200 characters of the code, scrubbed of personal data and secrets. */
  codePreview?: string | undefined;
}

export class SandboxExecutionError extends PmlError<SandboxExecutionErrorData> {
  constructor(message: string, data: SandboxExecutionErrorData, options?: { cause?: unknown }) {
    super('SANDBOX_EXECUTION_FAILED', message, data, options);
  }
}
