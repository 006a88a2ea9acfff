import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toContentHash, toTextHash } from './content-hash.js';

describe('toContentHash', () => {
  const tool = { name: 'read', description: 'Read', inputSchema: { type: 'object', properties: { p: {} } } };

  it('is the same for a schema whose keys come in another order', () => {
    expect(toContentHash({ ...tool, inputSchema: { properties: { p: {} }, type: 'object' } })).toBe(
      toContentHash(tool),
    );
  });

  it('changes with the name, the description or the schema', () => {
    const hashes = new Set([
      toContentHash(tool),
      toContentHash({ ...tool, name: 'read2' }),
      toContentHash({ ...tool, description: 'Read it' }),
      toContentHash({ ...tool, description: undefined }),
      toContentHash({ ...tool, description: '' }),
      toContentHash({ ...tool, inputSchema: { type: 'object' } }),
    ]);
    expect(hashes.size).toBe(6);
  });

  it('keeps the parts apart: moving text between name and description changes the hash', () => {
    expect(toContentHash({ name: 'ab', description: 'c', inputSchema: {} })).not.toBe(
      toContentHash({ name: 'a', description: 'bc', inputSchema: {} }),
    );
  });
});

describe('toTextHash', () => {
  it('is the sha256 of the text in hex', () => {
    expect(toTextHash('héllo')).toBe(createHash('sha256').update('héllo', 'utf8').digest('hex'));
    expect(toTextHash('héllo')).toMatch(/^[0-9a-f]{64}$/);
  });
});
