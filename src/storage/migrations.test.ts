import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations.js';

describe('MIGRATIONS', () => {
  it('numbers its migrations 1, 2, 3, ... in order, each with a kebab-case name', () => {
    expect(MIGRATIONS.map((migration) => migration.version)).toEqual(MIGRATIONS.map((_, index) => index + 1));
    for (const migration of MIGRATIONS) expect(migration.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('creates only pml_-prefixed tables, as a shared database may hold others', () => {
    const tables = MIGRATIONS.flatMap((migration) =>
      [...migration.sql.matchAll(/CREATE TABLE (\w+)/g)].map((m) => m[1]),
    );
    expect(tables.length).toBeGreaterThan(0);
    expect(tables.filter((table) => !table!.startsWith('pml_'))).toEqual([]);
  });
});
