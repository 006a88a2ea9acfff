// The composition root of storage: lock the data dir (PGlite) or connect (PostgreSQL), migrate,
// and hand out the four stores over one Database. close() undoes it in reverse, once.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseError } from '../errors/index.js';
import { silentLogger, type Logger } from '../shared/logger.js';
import { noopTelemetry, type Telemetry } from '../telemetry/index.js';
import { createDataDirLock, type DataDirLock } from './data-dir-lock.js';
import { createDatabase } from './database.js';
import { createEmbeddingCacheStore } from './embedding-cache-store.js';
import { migrate } from './migrate.js';
import { openPgliteClient, type PgliteClient } from './pglite-client.js';
import { openPostgresClient, type PostgresClient, type PostgresTimeouts } from './postgres-client.js';
import { createSearchSignalStore } from './search-signal-store.js';
import { toDatabaseError } from './to-database-error.js';
import { createToolIndexStore } from './tool-index-store.js';
import type { SchemaState, Storage } from './types.js';
import { createWorkflowRunStore } from './workflow-run-store.js';

export interface StorageOptions {
  /** pml's data dir (PML_DATA_DIR, resolved by the caller); PGlite lives in `<dataDir>/pglite`. */
  dataDir: string;
  /** postgres://… : use that PostgreSQL server (shared by several gateway instances) instead of PGlite. */
  databaseUrl?: string | undefined;
  logger?: Logger;
  telemetry?: Telemetry;
  /** How long to wait for a PostgreSQL server to accept a connection or answer (5 s, 15 s). */
  postgresTimeouts?: PostgresTimeouts | undefined;
}

interface OpenedClient {
  client: PgliteClient | PostgresClient;
  label: string;
  elsewhereHint: string;
  lock?: DataDirLock;
}

export async function openStorage(options: StorageOptions): Promise<Storage> {
  const logger = options.logger ?? silentLogger;
  const telemetry = options.telemetry ?? noopTelemetry;
  const opened = options.databaseUrl
    ? await openPostgres(options.databaseUrl, logger, options.postgresTimeouts)
    : await openPglite(options.dataDir, logger);
  const { client, lock } = opened;
  const database = createDatabase({ client, telemetry, label: opened.label });
  let schema: SchemaState;
  try {
    schema = await migrate(database, { elsewhereHint: opened.elsewhereHint });
  } catch (error) {
    await client.close().catch(() => {});
    lock?.release();
    throw error;
  }
  if (schema.applied.length > 0) {
    logger.info('storage: migrated the schema', { store: client.kind, applied: schema.applied.join(',') });
  }
  let closing: Promise<void> | undefined;
  return {
    kind: client.kind,
    vectorExtension: client.vectorExtension,
    schema,
    tools: createToolIndexStore(database),
    embeddings: createEmbeddingCacheStore(database),
    signals: createSearchSignalStore(database),
    workflowRuns: createWorkflowRunStore(database),
    close: () =>
      (closing ??= (async () => {
        database.markClosed();
        try {
          await client.close();
        } finally {
          lock?.release();
        }
      })()),
  };
}

async function openPglite(dataDir: string, logger: Logger): Promise<OpenedClient> {
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new DatabaseError(
      `could not create the data dir ${dataDir}; set PML_DATA_DIR to a folder pml can write`,
      { operation: 'open', store: 'pglite' },
      { cause: error },
    );
  }
  const lock = createDataDirLock(dataDir, logger);
  const folder = join(dataDir, 'pglite');
  try {
    const client = await openPgliteClient(folder);
    return {
      client,
      lock,
      label: `the PGlite database in ${folder}`,
      elsewhereHint: 'point PML_DATA_DIR elsewhere',
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function openPostgres(
  databaseUrl: string,
  logger: Logger,
  timeouts: PostgresTimeouts | undefined,
): Promise<OpenedClient> {
  const label = `the PostgreSQL server at ${toServerAddress(databaseUrl)}`;
  try {
    const client = await openPostgresClient(databaseUrl, logger, timeouts);
    return { client, label, elsewhereHint: 'point DATABASE_URL at another database' };
  } catch (error) {
    throw toDatabaseError(error, { operation: 'open', store: 'postgres', label });
  }
}

/** host:port/database of a DATABASE_URL: what a person needs to find the server, never the password. */
export function toServerAddress(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    const database = url.pathname.replace(/^\//, '');
    return `${url.hostname || 'localhost'}:${url.port || '5432'}${database ? `/${database}` : ''}`;
  } catch {
    return '(an unreadable DATABASE_URL)';
  }
}
