// Brings the schema up to date in ONE transaction (opening costs one round of work, not one per
// migration) under an advisory lock, so gateway instances starting together on one PostgreSQL
// server migrate one after the other and the later ones find nothing to do.
import { DatabaseError } from '../errors/index.js';
import type { Database } from './database.js';
import { MIGRATIONS, type Migration } from './migrations.js';
import { STORAGE_TABLES } from './operations.js';
import type { SchemaState } from './types.js';

// pg_advisory_xact_lock(int, int): 0x706d6c is "pml" in ASCII, 1 names the migration lock. The
// two-key form has its own key space, apart from other applications' single bigint keys.
const MIGRATION_LOCK_KEYS = '7368044, 1';

export interface MigrateOptions {
  /** What to tell a user whose database is newer than this pml: where else to point it. */
  elsewhereHint: string;
  /** In order of version; pml's own by default (tests pass others to migrate an older schema). */
  migrations?: readonly Migration[];
}

export function migrate(database: Database, options: MigrateOptions): Promise<SchemaState> {
  const migrations = options.migrations ?? MIGRATIONS;
  const latest = Math.max(0, ...migrations.map((migration) => migration.version));
  return database.runInTransaction('migrate', undefined, async (sql) => {
    await sql.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEYS})`);
    await sql.exec(
      `CREATE TABLE IF NOT EXISTS ${STORAGE_TABLES.migrations} (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`,
    );
    const [row] = await sql.query<{ version: number | null }>(
      `SELECT max(version) AS version FROM ${STORAGE_TABLES.migrations}`,
    );
    const current = row?.version ?? 0;
    if (current > latest) {
      throw new DatabaseError(
        `the database was migrated by a newer pml (version ${current}; this pml knows up to version ` +
          `${latest}); upgrade pml or ${options.elsewhereHint}`,
        { operation: 'migrate', store: database.store },
      );
    }
    const pending = migrations.filter((migration) => migration.version > current);
    for (const migration of pending) {
      await sql.exec(migration.sql);
      await sql.query(`INSERT INTO ${STORAGE_TABLES.migrations} (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
    }
    return { version: Math.max(current, latest), applied: pending.map((migration) => migration.version) };
  });
}
