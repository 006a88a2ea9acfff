import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseError } from '../errors/index.js';
import { createDataDirLock, LOCK_FILE_NAME, type DataDirLock } from './data-dir-lock.js';
import { readOwnIdentity, type ProcessIdentity } from './process-identity.js';
import { createRecordingLogger } from '../../test/helpers/recording-logger.js';

describe('the data dir lock', () => {
  let dataDir: string;
  let lockPath: string;
  let lock: DataDirLock | undefined;
  const logger = createRecordingLogger();

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'pml-lock-'));
    lockPath = join(dataDir, LOCK_FILE_NAME);
    logger.warnings.length = 0;
  });

  afterEach(() => {
    lock?.release();
    lock = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A lock file as another process would have left it: by default the (live) parent of this one. */
  const writeHolder = (changes: Partial<ProcessIdentity>) => {
    const holder = { ...readOwnIdentity(), pid: process.ppid, startTicks: undefined, ...changes };
    writeFileSync(lockPath, JSON.stringify(holder));
    return holder;
  };

  const lockFailure = () => {
    try {
      lock = createDataDirLock(dataDir, logger);
    } catch (error) {
      expect(error).toBeInstanceOf(DatabaseError);
      return error as DatabaseError;
    }
    throw new Error('the lock was taken');
  };

  it('writes who holds it, and release removes it', () => {
    lock = createDataDirLock(dataDir, logger);

    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({
      pid: process.pid,
      hostname: hostname(),
      startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    lock.release();
    lock.release();
    expect(existsSync(lockPath)).toBe(false);
    expect(logger.warnings).toEqual([]);
  });

  it('refuses a second lock on the same folder in the same process', () => {
    lock = createDataDirLock(dataDir, logger);

    expect(() => createDataDirLock(dataDir, logger)).toThrow(/this process already has storage open on/);
  });

  it('refuses a second lock on the same folder reached by another path (a symlink): the file names this process', () => {
    const link = `${dataDir}-link`;
    symlinkSync(dataDir, link);
    try {
      lock = createDataDirLock(dataDir, logger);

      expect(() => createDataDirLock(link, logger)).toThrow(/this process already has storage open on/);
    } finally {
      unlinkSync(link);
    }
  });

  it('refuses a lock file naming this very process, and takes over one left by an earlier run with its pid', () => {
    writeHolder({ pid: process.pid, startTicks: readOwnIdentity().startTicks });
    expect(lockFailure().message).toMatch(/^this process already has storage open on/);

    writeHolder({ pid: process.pid, startTicks: -1, startedAt: '2020-01-01T00:00:00.000Z' });
    lock = createDataDirLock(dataDir, logger);
    expect(logger.warnings).toHaveLength(1);
  });

  it('refuses a lock whose process still runs, naming it and the ways out', () => {
    writeHolder({});

    const error = lockFailure();

    expect(error.data).toEqual({ operation: 'open', store: 'pglite' });
    expect(error.message).toContain(`is in use by another pml process: pid ${process.ppid} on this host`);
    expect(error.message).toContain('set PML_DATA_DIR to another folder');
    expect(error.message).toContain('set DATABASE_URL');
    expect(error.message).toContain(`If that process is gone, delete ${lockPath}`);
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({ pid: process.ppid });
  });

  it('refuses a lock taken on another host, where it cannot tell whether the process runs', () => {
    writeHolder({ hostname: 'another-host', pid: 1 });

    expect(lockFailure().message).toContain('pid 1 on host another-host (another host: pml cannot tell');
  });

  it.each([
    ['a process that is gone', { pid: 2 ** 22 + 1 }],
    ['a pid now used by a process that started later', { startTicks: 1 }],
    ['a process of an earlier boot', { bootId: 'an-earlier-boot' }],
  ])('takes over, with a warning, the lock of %s', (_case, changes) => {
    writeHolder(changes);

    lock = createDataDirLock(dataDir, logger);

    expect(logger.warnings).toEqual([
      'storage: taking over a stale lock of the data dir (its process is gone)',
    ]);
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({ pid: process.pid });
  });

  it('takes over a lock file it cannot read', () => {
    writeFileSync(lockPath, 'not json');

    lock = createDataDirLock(dataDir, logger);

    expect(logger.warnings).toHaveLength(1);
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({ pid: process.pid });
  });

  it('leaves alone, on release, a lock file that is no longer its own', () => {
    lock = createDataDirLock(dataDir, logger);
    writeFileSync(lockPath, 'someone else');

    lock.release();

    expect(readFileSync(lockPath, 'utf8')).toBe('someone else');
  });
});
