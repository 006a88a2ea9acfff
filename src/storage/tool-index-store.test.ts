import { describe, expect, it } from 'vitest';
import { toContentHash } from './content-hash.js';
import { planSync } from './tool-index-store.js';

const read = { name: 'read', description: 'Read', inputSchema: { type: 'object' } };
const write = { name: 'write', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } };

describe('planSync', () => {
  it('writes only added and changed tools and removes the ones gone', () => {
    const stored = new Map([
      ['read', toContentHash(read)],
      ['write', 'an older hash'],
      ['gone', 'whatever'],
    ]);
    const added = { name: 'list', inputSchema: {} };

    const plan = planSync(stored, [read, write, added]);

    expect(plan.result).toEqual({ added: 1, changed: 1, removed: 1, unchanged: 1 });
    expect(plan.writes.map((row) => row.name)).toEqual(['write', 'list']);
    expect(plan.removed).toEqual(['gone']);
    expect(plan.writes[0]).toEqual({
      name: 'write',
      description: null,
      input_schema: JSON.stringify(write.inputSchema),
      content_hash: toContentHash(write),
    });
  });

  it('counts a tool listed twice once, the last one winning', () => {
    const plan = planSync(new Map(), [read, { ...read, description: 'Read again' }]);

    expect(plan.result).toEqual({ added: 1, changed: 0, removed: 0, unchanged: 0 });
    expect(plan.writes.map((row) => row.description)).toEqual(['Read again']);
  });
});
