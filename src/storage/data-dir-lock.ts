// One process owns a PGlite folder: two processes on one data dir lose rows without an error
// (185 of 400 in our test). The owner keeps `<dataDir>/pglite.lock` (its pid, host and start time);
// a lock whose process is gone is taken over with a warning.
import {
  closeSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { DatabaseError } from '../errors/index.js';
import type { Logger } from '../shared/logger.js';
import { readOwnIdentity, resolveLiveness, type Liveness, type ProcessIdentity } from './process-identity.js';

export const LOCK_FILE_NAME = 'pglite.lock';
// Each attempt either takes the lock, finds a live holder, or clears one stale lock; three cover
// two processes clearing the same stale lock at once.
const MAX_ATTEMPTS = 3;

/** Lock paths this process holds, with the content it wrote (released on exit, best effort). */
const heldLocks = new Map<string, string>();
let exitHookInstalled = false;

export interface DataDirLock {
  readonly path: string;
  /** Idempotent; leaves the file alone if it is no longer ours. */
  release(): void;
}

export function createDataDirLock(dataDir: string, logger: Logger): DataDirLock {
  const path = join(dataDir, LOCK_FILE_NAME);
  if (heldLocks.has(path)) throw toOpenHereError(dataDir);
  const own = readOwnIdentity();
  const content = `${JSON.stringify(own)}\n`;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (tryCreateExclusive(path, content)) return holdLock(path, content);
    const found = readText(path);
    if (found === undefined) continue; // released meanwhile: try again
    const holder = parseHolder(found);
    const liveness = holder ? resolveLiveness(holder, own) : 'dead';
    if (holder && liveness !== 'dead') {
      throw holder.pid === own.pid && liveness === 'alive'
        ? toOpenHereError(dataDir)
        : toInUseError(dataDir, path, holder, liveness);
    }
    logger.warn('storage: taking over a stale lock of the data dir (its process is gone)', {
      lock: path,
      ...(holder ? { pid: holder.pid, hostname: holder.hostname, startedAt: holder.startedAt } : {}),
    });
    removeIfUnchanged(path, found);
  }
  throw new DatabaseError(`could not take the lock ${path}: other processes keep taking it`, {
    operation: 'open',
    store: 'pglite',
  });
}

function holdLock(path: string, content: string): DataDirLock {
  heldLocks.set(path, content);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const heldPath of [...heldLocks.keys()]) releaseLock(heldPath);
    });
  }
  return { path, release: () => releaseLock(path) };
}

function releaseLock(path: string): void {
  const content = heldLocks.get(path);
  if (content === undefined) return;
  heldLocks.delete(path);
  if (readText(path) === content) unlinkQuietly(path);
}

/**
 * Creates `path` with `content` only if it does not exist. Writing a private file and hard-linking
 * it into place means no reader ever sees a half-written lock; where links are not supported
 * (some network file systems) an O_EXCL create does the same with that small window.
 */
function tryCreateExclusive(path: string, content: string): boolean {
  const draft = `${path}.${process.pid}.draft`;
  try {
    writeFileSync(draft, content, { mode: 0o644 });
    try {
      linkSync(draft, path);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      writeExclusive(path, content);
      return true;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new DatabaseError(
      `could not create the lock file ${path}; check that the data dir is writable or set PML_DATA_DIR`,
      { operation: 'open', store: 'pglite' },
      { cause: error },
    );
  } finally {
    unlinkQuietly(draft);
  }
}

function writeExclusive(path: string, content: string): void {
  const fd = openSync(path, 'wx', 0o644);
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
}

/** Moves the stale lock aside; if what moved is not the stale content (a fresh lock), puts it back. */
function removeIfUnchanged(path: string, staleContent: string): void {
  const aside = `${path}.${process.pid}.stale`;
  try {
    renameSync(path, aside);
  } catch {
    return; // someone else removed it first
  }
  if (readText(aside) !== staleContent) {
    try {
      linkSync(aside, path);
    } catch {
      // a third process holds it by now
    }
  }
  unlinkQuietly(aside);
}

function parseHolder(text: string): ProcessIdentity | undefined {
  try {
    const value = JSON.parse(text) as Partial<ProcessIdentity>;
    return Number.isInteger(value.pid) && typeof value.hostname === 'string'
      ? (value as ProcessIdentity)
      : undefined;
  } catch {
    return undefined;
  }
}

function toOpenHereError(dataDir: string): DatabaseError {
  return new DatabaseError(
    `this process already has storage open on ${dataDir}; close it before opening it again ` +
      '(two PGlite instances on one folder lose data)',
    { operation: 'open', store: 'pglite' },
  );
}

function toInUseError(dataDir: string, path: string, holder: ProcessIdentity, liveness: Liveness) {
  const where =
    liveness === 'unknown'
      ? `on host ${holder.hostname} (another host: pml cannot tell from here whether it still runs)`
      : `on this host (${holder.hostname})`;
  return new DatabaseError(
    `the data dir ${dataDir} is in use by another pml process: pid ${holder.pid} ${where}, started ` +
      `${holder.startedAt}. Two processes on one PGlite folder lose data, so this one does not open it. ` +
      'Stop that process, or set PML_DATA_DIR to another folder for this one, or set DATABASE_URL so ' +
      `that both share a PostgreSQL server. If that process is gone, delete ${path}.`,
    { operation: 'open', store: 'pglite' },
  );
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
