// The SqlClient over a PostgreSQL server (DATABASE_URL) through a pg.Pool, shared by several
// gateway instances. Timeouts make a server that went away a prompt failure, not a hang; the pool
// replaces broken connections, so calls succeed again once the server is back.
import pg from 'pg';
import type { Logger } from '../shared/logger.js';
import type { SqlClient, SqlRow, SqlSession } from './sql-client.js';

// A server on the same network accepts a connection in milliseconds; 5 s covers a slow link or a
// server under load without leaving a caller waiting long on one that is gone.
export const CONNECTION_TIMEOUT_MS = 5_000;
// pml's queries take milliseconds (1,000 embeddings of 512 floats in one insert ≈ 100 ms). The
// client gives up after 15 s when the server stops answering; the server cancels a statement
// cleanly before that.
export const QUERY_TIMEOUT_MS = 15_000;
const STATEMENT_SHARE_OF_QUERY_TIMEOUT = 2 / 3;
// A gateway instance runs a handful of queries at once; more connections only load the server.
const MAX_CONNECTIONS = 5;

export interface PostgresTimeouts {
  connectionTimeoutMs?: number | undefined;
  queryTimeoutMs?: number | undefined;
}

export interface PostgresClient extends SqlClient {
  readonly vectorExtension: boolean;
}

export async function openPostgresClient(
  databaseUrl: string,
  logger: Logger,
  timeouts: PostgresTimeouts = {},
): Promise<PostgresClient> {
  const queryTimeoutMs = timeouts.queryTimeoutMs ?? QUERY_TIMEOUT_MS;
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    connectionTimeoutMillis: timeouts.connectionTimeoutMs ?? CONNECTION_TIMEOUT_MS,
    statement_timeout: Math.round(queryTimeoutMs * STATEMENT_SHARE_OF_QUERY_TIMEOUT),
    query_timeout: queryTimeoutMs,
    keepAlive: true,
    max: MAX_CONNECTIONS,
    application_name: 'pml',
  });
  // An idle connection the server drops (restart, failover) is reported here; without a listener
  // the process would crash. The pool has already discarded it.
  pool.on('error', (error) => {
    logger.warn('storage: the PostgreSQL server closed an idle connection; the next query opens a new one', {
      code: (error as { code?: unknown }).code,
    });
  });
  const client = wrapPool(pool);
  try {
    const rows = await client.query('SELECT 1 FROM pg_extension WHERE extname = $1', ['vector']);
    return { ...client, vectorExtension: rows.length > 0 };
  } catch (error) {
    await client.close();
    throw error;
  }
}

function wrapPool(pool: pg.Pool): SqlClient {
  let closing: Promise<void> | undefined;
  return {
    kind: 'postgres',
    ...toSession(pool),
    async transaction(work) {
      const connection = await pool.connect();
      let broken = false;
      try {
        await connection.query('BEGIN');
        const result = await work(toSession(connection));
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        // A connection whose ROLLBACK fails is in an unknown state: the pool must drop it.
        await connection.query('ROLLBACK').catch(() => (broken = true));
        throw error;
      } finally {
        connection.release(broken);
      }
    },
    close: () => (closing ??= pool.end()),
  };
}

function toSession(target: pg.Pool | pg.PoolClient): SqlSession {
  return {
    async query<Row extends SqlRow>(sql: string, params?: readonly unknown[]) {
      const result = await target.query<Row>(sql, params ? [...params] : undefined);
      return result.rows;
    },
    async exec(sql) {
      // Without parameters pg uses the simple protocol, which runs several statements.
      await target.query(sql);
    },
  };
}
