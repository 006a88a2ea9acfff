// Versioned migrations: a database migrated by a newer pml is refused (untouched) on both stores;
// an older schema gets only the migrations it lacks; instances starting at once on one PostgreSQL
// server migrate it exactly once, one after the other.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseError } from '../../src/errors/index.js';
import { silentLogger } from '../../src/shared/logger.js';
import { createDatabase } from '../../src/storage/database.js';
import { migrate } from '../../src/storage/migrate.js';
import { MIGRATIONS } from '../../src/storage/migrations.js';
import { LOCK_FILE_NAME, openStorage } from '../../src/storage/index.js';
import { openPostgresClient } from '../../src/storage/postgres-client.js';
import { noopTelemetry } from '../../src/telemetry/index.js';
import { startPostgresServer, type PostgresServer } from '../helpers/postgres-server.js';

const FUTURE_VERSION = 999;

async function openFailure(promise: Promise<{ close(): Promise<void> }>): Promise<DatabaseError> {
  const failure = await promise.then(
    async (storage) => {
      await storage.close();
      return undefined;
    },
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(DatabaseError);
  return failure as DatabaseError;
}

async function queryPostgres<Row>(url: string, sql: string, params: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as Row[];
  } finally {
    await client.end();
  }
}

describe('migrations on PostgreSQL', () => {
  let server: PostgresServer;

  beforeAll(async () => {
    server = await startPostgresServer();
  });

  afterAll(async () => {
    await server?.close();
  });

  it('migrates once when several instances start at the same time', async () => {
    const url = await server.createDatabase('concurrent');

    const opened = await Promise.all(
      Array.from({ length: 4 }, () => openStorage({ dataDir: '/nonexistent/unused', databaseUrl: url })),
    );
    await Promise.all(opened.map((storage) => storage.close()));

    expect(opened.map((storage) => storage.schema.applied).sort()).toEqual([[], [], [], [1]]);
    expect(await queryPostgres(url, 'SELECT version, name FROM pml_migrations')).toEqual([
      { version: 1, name: 'initial' },
    ]);
  });

  it('gives an older schema only the migrations it lacks', async () => {
    const url = await server.createDatabase('upgrade');
    const client = await openPostgresClient(url, silentLogger);
    const database = createDatabase({ client, telemetry: noopTelemetry, label: 'the test database' });
    const next = { version: 2, name: 'add-notes', sql: 'CREATE TABLE pml_notes (id text PRIMARY KEY)' };
    try {
      expect(await migrate(database, { elsewhereHint: '-', migrations: MIGRATIONS })).toEqual({
        version: 1,
        applied: [1],
      });
      expect(await migrate(database, { elsewhereHint: '-', migrations: [...MIGRATIONS, next] })).toEqual({
        version: 2,
        applied: [2],
      });
      expect(await migrate(database, { elsewhereHint: '-', migrations: [...MIGRATIONS, next] })).toEqual({
        version: 2,
        applied: [],
      });
    } finally {
      await client.close();
    }
  });

  it('refuses, and leaves untouched, a database migrated by a newer pml', async () => {
    const url = await server.createDatabase('newer');
    await (await openStorage({ dataDir: '/nonexistent/unused', databaseUrl: url })).close();
    await queryPostgres(url, 'INSERT INTO pml_migrations (version, name) VALUES ($1, $2)', [
      FUTURE_VERSION,
      'from-the-future',
    ]);

    const error = await openFailure(openStorage({ dataDir: '/nonexistent/unused', databaseUrl: url }));

    expect(error.data).toEqual({ operation: 'migrate', store: 'postgres' });
    expect(error.message).toBe(
      `the database was migrated by a newer pml (version ${FUTURE_VERSION}; this pml knows up to version 1); ` +
        'upgrade pml or point DATABASE_URL at another database',
    );
    expect(await queryPostgres(url, 'SELECT version FROM pml_migrations ORDER BY version')).toEqual([
      { version: 1 },
      { version: FUTURE_VERSION },
    ]);
  });
});

describe('migrations on PGlite', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pml-storage-migrations-'));

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a data dir migrated by a newer pml, says what to do, and releases the lock', async () => {
    await (await openStorage({ dataDir })).close();
    const raw = await PGlite.create({ dataDir: join(dataDir, 'pglite') });
    await raw.query('INSERT INTO pml_migrations (version, name) VALUES ($1, $2)', [
      FUTURE_VERSION,
      'from-the-future',
    ]);
    await raw.close();

    const error = await openFailure(openStorage({ dataDir }));

    expect(error.data).toEqual({ operation: 'migrate', store: 'pglite' });
    expect(error.message).toMatch(
      new RegExp(
        `was migrated by a newer pml \\(version ${FUTURE_VERSION};.*upgrade pml or point PML_DATA_DIR elsewhere$`,
      ),
    );
    expect(existsSync(join(dataDir, LOCK_FILE_NAME))).toBe(false);
  });
});
