// A PostgreSQL server that goes away and comes back: the query in flight and the calls made while
// it is gone fail with a DatabaseError (promptly, not a hang), and once it is back the next call
// succeeds on the same Storage, without reopening it.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseError } from '../../src/errors/index.js';
import { openStorage, type Storage } from '../../src/storage/index.js';
import { startPostgresServer, type PostgresServer } from '../helpers/postgres-server.js';
import { createRecordingLogger } from '../helpers/recording-logger.js';

const tool = { name: 'echo', description: 'Echo', inputSchema: { type: 'object' } };

async function waitUntil(probe: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await probe())) await new Promise((resolve) => setTimeout(resolve, 20));
}

async function toError(promise: Promise<unknown>): Promise<DatabaseError> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(DatabaseError);
  return error as DatabaseError;
}

describe('storage on a PostgreSQL server that goes away', () => {
  let server: PostgresServer;
  let storage: Storage;
  const logger = createRecordingLogger();

  beforeAll(async () => {
    server = await startPostgresServer();
    storage = await openStorage({ dataDir: '/nonexistent/unused', databaseUrl: server.url, logger });
    await storage.tools.sync('everything', [tool]);
  });

  afterAll(async () => {
    await storage?.close();
    await server?.close();
  });

  it('fails the query in flight and the next ones while the server is down, then works again once it is back', async () => {
    // Two queries at once leave two connections in the pool: one for the query in flight, one idle.
    await Promise.all([storage.tools.list(), storage.embeddings.count()]);
    // A transaction elsewhere holds the table, so storage's next query waits on it: in flight.
    const blocker = new pg.Client({ connectionString: server.url });
    blocker.on('error', () => {});
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE pml_tools IN ACCESS EXCLUSIVE MODE');
    const inFlight = toError(storage.tools.list());
    await waitUntil(async () => {
      const { rows } = await blocker.query(
        "SELECT 1 FROM pg_stat_activity WHERE application_name = 'pml' AND wait_event_type = 'Lock'",
      );
      return rows.length > 0;
    });

    await server.stop();
    try {
      const inFlightError = await inFlight;
      expect(inFlightError.data).toMatchObject({ operation: 'tools.list', store: 'postgres' });
      expect(inFlightError.message).toMatch(
        /^tools\.list failed on the PostgreSQL server at 127\.0\.0\.1:\d+\/pml_test: (the server is shutting down or restarting|the connection to the server was lost)/,
      );
      // The idle connection died too: the pool reports it (without a listener the process would
      // crash) and drops it, so the next call tries a new connection, which is refused.
      await waitUntil(() => logger.warnings.some((warning) => /closed an idle connection/.test(warning)));
      const downError = await toError(storage.tools.sync('everything', [tool]));
      expect(downError.data).toEqual({
        operation: 'tools.sync',
        store: 'postgres',
        systemCode: 'ECONNREFUSED',
      });
      expect(downError.message).toContain('the server refused the connection (is it running?)');
    } finally {
      await server.start();
    }

    expect((await storage.tools.list()).map((indexed) => indexed.name)).toEqual(['echo']);
    expect(await storage.tools.sync('everything', [tool])).toEqual({
      added: 0,
      changed: 0,
      removed: 0,
      unchanged: 1,
    });
    await blocker.end().catch(() => {});
  });

  it('gives up on a server that stops answering instead of hanging, and recovers when it answers again', async () => {
    // Short timeouts keep this quick; the defaults are 5 s to connect and 15 s for an answer.
    const impatient = await openStorage({
      dataDir: '/nonexistent/unused',
      databaseUrl: server.url,
      postgresTimeouts: { connectionTimeoutMs: 500, queryTimeoutMs: 500 },
    });
    try {
      await impatient.tools.list();
      server.freeze();
      try {
        // The open connection gets no answer; the one that replaces it gets no handshake.
        const error = await toError(impatient.tools.list());
        expect(error.message).toContain('the server did not answer in time');
        const next = await toError(impatient.embeddings.count());
        expect(next.message).toContain('connecting to the server timed out');
      } finally {
        server.thaw();
      }

      expect(await impatient.embeddings.count()).toBe(0);
    } finally {
      await impatient.close();
    }
  });

  it('refuses a wrong password with a DatabaseError that names the server but not the password', async () => {
    const url = new URL(server.url);
    url.password = 'wrong-secret-password';

    const error = await toError(openStorage({ dataDir: '/nonexistent/unused', databaseUrl: url.href }));

    expect(error.data).toEqual({ operation: 'open', store: 'postgres', sqlState: '28P01' });
    expect(error.message).toBe(
      `open failed on the PostgreSQL server at 127.0.0.1:${server.port}/pml_test: ` +
        'the server refused the password in DATABASE_URL [SQLSTATE 28P01]',
    );
    expect(error.message).not.toContain('wrong-secret-password');
  });
});
