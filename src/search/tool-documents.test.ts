import { describe, expect, it } from 'vitest';
import {
  MAX_DESCRIPTION_CHARS,
  MAX_EMBEDDING_TEXT_CHARS,
  MAX_PARAMS,
  MAX_PARAM_DESCRIPTION_CHARS,
  buildToolDocument,
} from './tool-documents.js';

const readFile = {
  name: 'filesystem__read_text_file',
  serverId: 'filesystem',
  description: 'Read the complete contents of a file as text.',
  inputSchema: {
    type: 'object',
    properties: { path: { type: 'string', description: 'Path of the file' }, tail: {} },
  },
};

describe('buildToolDocument', () => {
  it('splits the name into the server and the tool words, without the server__ prefix', () => {
    const doc = buildToolDocument(readFile);
    expect(doc.serverWords).toBe('filesystem');
    expect(doc.actionWords).toBe('read text file');
    expect(doc.embeddingText).toBe(
      'filesystem: read text file. Read the complete contents of a file as text.',
    );
  });

  it('reads parameter names as words, with their descriptions when they have one', () => {
    expect(buildToolDocument(readFile).params).toBe('path Path of the file. tail');
  });

  it('keeps a name that has no server prefix whole', () => {
    expect(buildToolDocument({ ...readFile, name: 'read_text_file' }).actionWords).toBe('read text file');
  });

  it('embeds a tool with no description by its name', () => {
    const doc = buildToolDocument({ ...readFile, description: undefined });
    expect(doc.description).toBe('');
    expect(doc.embeddingText).toBe('filesystem: read text file');
  });

  it('bounds a 1 MB description and a 1 MB schema', () => {
    const hugeSchema = {
      type: 'object',
      properties: Object.fromEntries(
        Array.from({ length: 5_000 }, (_, i) => [
          `field${i}`,
          { type: 'string', description: 'x'.repeat(200) },
        ]),
      ),
    };
    expect(JSON.stringify(hugeSchema).length).toBeGreaterThan(1_000_000);
    const doc = buildToolDocument({
      ...readFile,
      description: 'word '.repeat(200_000),
      inputSchema: hugeSchema,
    });
    expect(doc.description.length).toBeLessThanOrEqual(MAX_DESCRIPTION_CHARS);
    expect(doc.embeddingText.length).toBeLessThanOrEqual(MAX_EMBEDDING_TEXT_CHARS);
    expect(doc.params.length).toBeLessThanOrEqual(MAX_PARAMS * (MAX_PARAM_DESCRIPTION_CHARS + 20));
  });

  it('survives a schema whose properties are not an object', () => {
    expect(buildToolDocument({ ...readFile, inputSchema: { properties: 'nonsense' } }).params).toBe('');
  });

  it('hashes the embedded text: the same tool gives the same hash, a changed description another', () => {
    const hash = buildToolDocument(readFile).textHash;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(buildToolDocument({ ...readFile }).textHash).toBe(hash);
    expect(buildToolDocument({ ...readFile, description: 'Read a file.' }).textHash).not.toBe(hash);
  });
});
