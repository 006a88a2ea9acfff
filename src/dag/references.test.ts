import { describe, expect, it } from 'vitest';
import { ReferenceError, findReferences, resolveReferences } from './references.js';

const outputs: Record<string, unknown> = {
  list: { items: [{ name: 'alpha', size: 3 }, { name: 'beta' }], total: 2 },
  text: 'plain words',
  json: '{"title": "Report", "tags": ["a", "b"]}',
};
const outputOf = (id: string) => outputs[id];

describe('findReferences', () => {
  it('finds whole, nested and embedded references at any depth', () => {
    const found = findReferences({
      a: '$OUTPUT[list]',
      b: ['x', { c: 'Summary of $OUTPUT[json].title and $OUTPUT[list].items[1].name.' }],
    });
    expect(found.map((reference) => [reference.taskId, reference.path])).toEqual([
      ['list', []],
      ['json', ['title']],
      ['list', ['items', 1, 'name']],
    ]);
  });

  it('refuses a malformed reference, naming where it is', () => {
    expect(() => findReferences({ query: { text: 'see $OUTPUT[no spaces allowed]' } })).toThrow(
      /arguments\.query\.text has a malformed reference/,
    );
  });
});

describe('resolveReferences', () => {
  it('replaces a whole-string reference by the value, keeping its type', () => {
    expect(resolveReferences({ all: '$OUTPUT[list]', n: '$OUTPUT[list].total' }, outputOf)).toEqual({
      all: outputs.list,
      n: 2,
    });
  });

  it('reads into JSON text when the path goes inside it', () => {
    expect(resolveReferences(['$OUTPUT[json].tags[1]'], outputOf)).toEqual(['b']);
  });

  it('splices references into longer strings as text', () => {
    expect(
      resolveReferences('Summary of $OUTPUT[json].title: $OUTPUT[list].items[0] ($OUTPUT[text])', outputOf),
    ).toBe('Summary of Report: {"name":"alpha","size":3} (plain words)');
  });

  it('says which key is missing and which keys there are', () => {
    expect(() => resolveReferences('$OUTPUT[list].items[0].colour', outputOf)).toThrow(
      '$OUTPUT[list].items[0].colour: $OUTPUT[list].items[0] has no "colour" (it has "name", "size")',
    );
  });

  it('says when an index is past the end of a list', () => {
    expect(() => resolveReferences('$OUTPUT[list].items[5]', outputOf)).toThrow('has 2 items, no [5]');
  });

  it('refuses a path into text that is not JSON without quoting the text', () => {
    const read = () => resolveReferences('$OUTPUT[text].title', outputOf);
    expect(read).toThrow(ReferenceError);
    expect(read).toThrow(/is text that is not JSON \(11 characters\)/);
    expect(read).not.toThrow(/plain words/);
  });

  it('leaves strings without references alone', () => {
    expect(resolveReferences({ price: '$5 OUTPUT', n: 3, none: null }, outputOf)).toEqual({
      price: '$5 OUTPUT',
      n: 3,
      none: null,
    });
  });
});
