// The query port the repositories are written against, once, for both PGlite and a PostgreSQL
// server. It says nothing about spans or error wrapping: `database.ts` adds those around it.
import type { StoreKind } from './types.js';

export type SqlRow = Record<string, unknown>;

export interface SqlSession {
  /** One statement with `$1`-style parameters; returns its rows. */
  query<Row extends SqlRow = SqlRow>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** A script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface SqlClient extends SqlSession {
  readonly kind: StoreKind;
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Idempotent. */
  close(): Promise<void>;
}
