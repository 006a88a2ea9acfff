// What repositories run their SQL through: each call is one named operation, traced as a
// `db.query` span (attributes from the operation table, never parameter values) and failing only
// with a DatabaseError.
import { DatabaseError } from '../errors/index.js';
import type { Telemetry } from '../telemetry/index.js';
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_SYSTEM,
  ATTR_PML_STORAGE_KIND,
  DB_QUERY_OP,
  STORAGE_OPERATIONS,
  type StorageOperation,
} from './operations.js';
import type { SqlClient, SqlSession } from './sql-client.js';
import { toDatabaseError } from './to-database-error.js';
import type { OperationOptions, StoreKind } from './types.js';

export interface Database {
  readonly store: StoreKind;
  /** Runs `work` as `operation`: one span, failures as DatabaseError. */
  run<T>(
    operation: StorageOperation,
    options: OperationOptions | undefined,
    work: (sql: SqlSession) => Promise<T>,
  ): Promise<T>;
  /** The same, inside one transaction. */
  runInTransaction<T>(
    operation: StorageOperation,
    options: OperationOptions | undefined,
    work: (sql: SqlSession) => Promise<T>,
  ): Promise<T>;
  /** Later calls fail with a DatabaseError instead of reaching a closed driver. */
  markClosed(): void;
}

export interface DatabaseOptions {
  client: SqlClient;
  telemetry: Telemetry;
  /** Where the database is, for error messages: `the PGlite database in ~/.pml/pglite`. */
  label: string;
}

export function createDatabase({ client, telemetry, label }: DatabaseOptions): Database {
  const store = client.kind;
  let closed = false;
  const execute = <T>(
    operation: StorageOperation,
    options: OperationOptions | undefined,
    work: () => Promise<T>,
  ): Promise<T> => {
    if (closed) {
      return Promise.reject(
        new DatabaseError(`${operation} was called after storage was closed`, { operation, store }),
      );
    }
    const row = STORAGE_OPERATIONS[operation];
    return telemetry.traceSpan(
      {
        op: DB_QUERY_OP,
        name: operation,
        attributes: {
          [ATTR_DB_SYSTEM]: 'postgresql',
          [ATTR_DB_OPERATION_NAME]: row.verb,
          [ATTR_DB_COLLECTION_NAME]: row.table,
          [ATTR_PML_STORAGE_KIND]: store,
        },
        parent: options?.scope,
      },
      async () => {
        try {
          return await work();
        } catch (error) {
          throw toDatabaseError(error, { operation, store, label });
        }
      },
    );
  };
  return {
    store,
    run: (operation, options, work) => execute(operation, options, () => work(client)),
    runInTransaction: (operation, options, work) =>
      execute(operation, options, () => client.transaction(work)),
    markClosed: () => {
      closed = true;
    },
  };
}
