// What the rest of pml may ask of storage: four small stores behind one Storage handle. Every method
// takes an optional last `{ scope }` so that its query becomes a `db.query` span of that request.
import type { RequestScope } from '../telemetry/index.js';

export type StoreKind = 'pglite' | 'postgres';

export interface OperationOptions {
  /** The request (or span inside it) the query's `db.query` span nests under. */
  scope?: RequestScope | undefined;
}

export interface ToolDefinition {
  name: string;
  description?: string | undefined;
  inputSchema: Record<string, unknown>;
}

export interface IndexedTool {
  serverId: string;
  name: string;
  description: string | undefined;
  inputSchema: Record<string, unknown>;
  /** sha256 (hex) of the canonical JSON of name, description and inputSchema. */
  contentHash: string;
  /** When the row last changed (an unchanged tool keeps its date across syncs). */
  updatedAt: Date;
}

export interface ToolSyncResult {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
}

export interface ToolIndexStore {
  /** Replaces one server's tools; rows whose content hash is unchanged are left untouched. */
  sync(serverId: string, tools: ToolDefinition[], options?: OperationOptions): Promise<ToolSyncResult>;
  /** Every indexed tool, by server id then name. */
  list(options?: OperationOptions): Promise<IndexedTool[]>;
  removeServer(serverId: string, options?: OperationOptions): Promise<void>;
}

export interface EmbeddingEntry {
  /** sha256 (hex) of the embedded text: `toTextHash(text)`. */
  textHash: string;
  vector: Float32Array;
}

export interface EmbeddingCacheStore {
  /** The cached vectors of `textHashes` under `model`; hashes not cached are absent from the map. */
  get(model: string, textHashes: string[], options?: OperationOptions): Promise<Map<string, Float32Array>>;
  /** Stores vectors (a vector already cached for the same model and hash is replaced). */
  put(model: string, entries: EmbeddingEntry[], options?: OperationOptions): Promise<void>;
  count(model?: string, options?: OperationOptions): Promise<number>;
}

export interface SearchSignal {
  query: string;
  queryVector?: Float32Array | undefined;
  /** The embedding model of `queryVector`. */
  model?: string | undefined;
  /** The tool called after the search (its gateway name). */
  tool: string;
}

export interface RecordedSearchSignal {
  query: string;
  queryVector?: Float32Array;
  model?: string;
  tool: string;
  at: Date;
}

export interface SearchSignalStore {
  /** A search followed by a call of one of its hits. */
  record(signal: SearchSignal, options?: OperationOptions): Promise<void>;
  /** The most recent signals first (`limit` defaults to 100). */
  list(options?: ListOptions): Promise<RecordedSearchSignal[]>;
}

export interface ListOptions extends OperationOptions {
  limit?: number | undefined;
}

export interface WorkflowRun {
  id: string;
  startedAt: Date;
  durationMs: number;
  status: string;
  /** The run's tasks as JSON (whatever the caller saved). */
  tasks: unknown;
}

export interface WorkflowRunStore {
  /** Saves a run; saving the same id again replaces it. */
  save(run: WorkflowRun, options?: OperationOptions): Promise<void>;
  /** The most recently started runs first (`limit` defaults to 50). */
  list(options?: ListOptions): Promise<WorkflowRun[]>;
  get(id: string, options?: OperationOptions): Promise<WorkflowRun | undefined>;
}

export interface SchemaState {
  /** The schema version the database is at after opening. */
  version: number;
  /** The migrations this open applied (empty when the database was already up to date). */
  applied: number[];
}

export interface Storage {
  readonly kind: StoreKind;
  /** Whether pgvector is loaded (PGlite: yes; a PostgreSQL server without the extension: no). */
  readonly vectorExtension: boolean;
  readonly schema: SchemaState;
  readonly tools: ToolIndexStore;
  readonly embeddings: EmbeddingCacheStore;
  readonly signals: SearchSignalStore;
  readonly workflowRuns: WorkflowRunStore;
  /** Idempotent; releases the data dir's lock. */
  close(): Promise<void>;
}
