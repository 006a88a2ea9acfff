// The SqlClient over PGlite in `<dataDir>/pglite`, opened with pgvector. Only one process may have
// the folder open (see data-dir-lock.ts); the caller takes the lock before calling this.
import { readdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { DatabaseError } from '../errors/index.js';
import type { SqlClient, SqlRow, SqlSession } from './sql-client.js';

interface PgliteQueryable {
  query<Row>(sql: string, params?: unknown[]): Promise<{ rows: Row[] }>;
  exec(sql: string): Promise<unknown>;
}

export interface PgliteClient extends SqlClient {
  readonly vectorExtension: boolean;
}

export async function openPgliteClient(folder: string): Promise<PgliteClient> {
  const existing = await listEntries(folder);
  let db: PGlite;
  try {
    db = await PGlite.create({ dataDir: folder, extensions: { vector } });
  } catch (error) {
    throw toOpenError(folder, existing, error);
  }
  try {
    // Checking first saves the ~20 ms CREATE EXTENSION costs even when it has nothing to do.
    const loaded = await db.query('SELECT 1 FROM pg_extension WHERE extname = $1', ['vector']);
    if (loaded.rows.length === 0) await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
  } catch (error) {
    await db.close().catch(() => {});
    throw new DatabaseError(
      `could not load the pgvector extension into the PGlite database in ${folder}`,
      { operation: 'open', store: 'pglite' },
      { cause: error },
    );
  }
  return wrapPglite(db);
}

function wrapPglite(db: PGlite): PgliteClient {
  let closing: Promise<void> | undefined;
  return {
    kind: 'pglite',
    vectorExtension: true,
    ...toSession(db),
    transaction: (work) => db.transaction((tx) => work(toSession(tx))),
    close: () => (closing ??= db.closed ? Promise.resolve() : db.close()),
  };
}

function toSession(target: PgliteQueryable): SqlSession {
  return {
    async query<Row extends SqlRow>(sql: string, params?: readonly unknown[]) {
      const result = await target.query<Row>(sql, params ? [...params] : undefined);
      return result.rows;
    },
    async exec(sql) {
      await target.exec(sql);
    },
  };
}

/** The folder's entries, `[]` when it does not exist yet, `undefined` when it is not a folder. */
async function listEntries(folder: string): Promise<string[] | undefined> {
  try {
    return await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    return undefined;
  }
}

function toOpenError(folder: string, existing: string[] | undefined, cause: unknown): DatabaseError {
  const data = { operation: 'open', store: 'pglite' as const };
  // PGlite creates a database in a missing or empty folder, so a failure on one that has files in
  // it (or is not a folder at all) means what is there is not a database PGlite can read.
  if (existing === undefined || existing.length > 0) {
    return new DatabaseError(
      `the PGlite database folder ${folder} looks damaged (PGlite could not start on it). ` +
        `Move it aside (e.g. rename it to ${folder}.damaged) and start pml again: it creates a new, ` +
        'empty database there (the tool index and embeddings are rebuilt; saved workflow runs and ' +
        'search signals stay in the moved folder).',
      data,
      { cause },
    );
  }
  return new DatabaseError(
    `could not create a PGlite database in ${folder}; check that the folder is writable and the disk ` +
      'has space, or set PML_DATA_DIR to another folder',
    data,
    { cause },
  );
}
