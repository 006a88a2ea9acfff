// A PGlite folder that is not a database PGlite can read (garbage files, a file in its place) is
// refused with a DatabaseError that says the folder looks damaged and what to do; doing that
// (moving it aside) gives a new, working database.
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseError } from '../../src/errors/index.js';
import { LOCK_FILE_NAME, openStorage } from '../../src/storage/index.js';

const dataDirs: string[] = [];

function createDataDir(): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'pml-storage-corrupt-'));
  dataDirs.push(dataDir);
  return dataDir;
}

async function openFailure(dataDir: string): Promise<DatabaseError> {
  const failure = await openStorage({ dataDir }).then(
    async (storage) => {
      await storage.close();
      return undefined;
    },
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(DatabaseError);
  return failure as DatabaseError;
}

afterAll(() => {
  for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true });
});

describe('a damaged PGlite folder', () => {
  it('is refused with what to do, and pml makes a new database once it is moved aside', async () => {
    const dataDir = createDataDir();
    const folder = join(dataDir, 'pglite');
    mkdirSync(folder);
    for (const name of ['PG_VERSION', 'base', 'global', 'pg_wal'])
      writeFileSync(join(folder, name), randomBytes(4096));

    const error = await openFailure(dataDir);

    expect(error.data).toEqual({ operation: 'open', store: 'pglite' });
    expect(error.message).toContain(`the PGlite database folder ${folder} looks damaged`);
    expect(error.message).toContain(
      `Move it aside (e.g. rename it to ${folder}.damaged) and start pml again`,
    );
    expect(error.cause).toBeDefined();
    expect(existsSync(join(dataDir, LOCK_FILE_NAME))).toBe(false);

    renameSync(folder, `${folder}.damaged`);
    const storage = await openStorage({ dataDir });
    try {
      expect(storage.schema).toEqual({ version: 1, applied: [1] });
      expect(
        await storage.tools.sync('fs', [{ name: 'read', inputSchema: { type: 'object' } }]),
      ).toMatchObject({
        added: 1,
      });
    } finally {
      await storage.close();
    }
  });

  it('is refused the same way when a file stands where the folder should be', async () => {
    const dataDir = createDataDir();
    writeFileSync(join(dataDir, 'pglite'), 'not a folder');

    const error = await openFailure(dataDir);

    expect(error.data).toEqual({ operation: 'open', store: 'pglite' });
    expect(error.message).toContain(`the PGlite database folder ${join(dataDir, 'pglite')} looks damaged`);
    expect(existsSync(join(dataDir, LOCK_FILE_NAME))).toBe(false);
  });
});
