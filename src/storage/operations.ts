// Every operation storage runs, as one row each: its `db.query` span name and the attributes the
// span carries. Repositories name an operation; the span and any DatabaseError take it from here.

export const STORAGE_TABLES = {
  migrations: 'pml_migrations',
  tools: 'pml_tools',
  embeddings: 'pml_embeddings',
  signals: 'pml_search_signals',
  workflowRuns: 'pml_workflow_runs',
} as const;

export interface OperationRow {
  /** OpenTelemetry's `db.operation.name`: the SQL verb, or what several statements add up to. */
  verb: string;
  table: string;
}

export const STORAGE_OPERATIONS = {
  migrate: { verb: 'MIGRATE', table: STORAGE_TABLES.migrations },
  'tools.sync': { verb: 'MERGE', table: STORAGE_TABLES.tools },
  'tools.list': { verb: 'SELECT', table: STORAGE_TABLES.tools },
  'tools.removeServer': { verb: 'DELETE', table: STORAGE_TABLES.tools },
  'embeddings.get': { verb: 'SELECT', table: STORAGE_TABLES.embeddings },
  'embeddings.put': { verb: 'INSERT', table: STORAGE_TABLES.embeddings },
  'embeddings.count': { verb: 'SELECT', table: STORAGE_TABLES.embeddings },
  'signals.record': { verb: 'INSERT', table: STORAGE_TABLES.signals },
  'signals.list': { verb: 'SELECT', table: STORAGE_TABLES.signals },
  'workflowRuns.save': { verb: 'INSERT', table: STORAGE_TABLES.workflowRuns },
  'workflowRuns.list': { verb: 'SELECT', table: STORAGE_TABLES.workflowRuns },
  'workflowRuns.get': { verb: 'SELECT', table: STORAGE_TABLES.workflowRuns },
} as const satisfies Record<string, OperationRow>;

export type StorageOperation = keyof typeof STORAGE_OPERATIONS;

/** The span op of every query (Sentry's Queries view reads `db.*` spans). */
export const DB_QUERY_OP = 'db.query';
export const ATTR_DB_SYSTEM = 'db.system';
export const ATTR_DB_OPERATION_NAME = 'db.operation.name';
export const ATTR_DB_COLLECTION_NAME = 'db.collection.name';
/** `pglite` or `postgres`: both speak PostgreSQL, so `db.system` alone cannot tell them apart. */
export const ATTR_PML_STORAGE_KIND = 'pml.storage.kind';
