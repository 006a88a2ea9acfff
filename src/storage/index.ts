// Public door of storage: openStorage() gives the tool index, the embedding cache, search signals
// and workflow runs, over PGlite in the data dir or a shared PostgreSQL server (DATABASE_URL).
export { openStorage } from './open-storage.js';
export type { StorageOptions } from './open-storage.js';
export type { PostgresTimeouts } from './postgres-client.js';
export { toContentHash, toTextHash } from './content-hash.js';
export { LOCK_FILE_NAME } from './data-dir-lock.js';
export type {
  EmbeddingCacheStore,
  EmbeddingEntry,
  IndexedTool,
  ListOptions,
  OperationOptions,
  RecordedSearchSignal,
  SchemaState,
  SearchSignal,
  SearchSignalStore,
  Storage,
  StoreKind,
  ToolDefinition,
  ToolIndexStore,
  ToolSyncResult,
  WorkflowRun,
  WorkflowRunStore,
} from './types.js';
