import { describe, expect, it } from 'vitest';
import { VectorSearchError } from '../errors/index.js';
import { DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERY_CHARS, resolveLimit, toBoundedQuery } from './limits.js';

describe('resolveLimit', () => {
  it('gives the default when no limit is named', () => {
    expect(resolveLimit(undefined)).toBe(DEFAULT_LIMIT);
    expect(resolveLimit(Number.NaN)).toBe(DEFAULT_LIMIT);
  });

  it('clamps 0, -1 and 10^6 into [1, MAX_LIMIT]', () => {
    expect(resolveLimit(0)).toBe(1);
    expect(resolveLimit(-1)).toBe(1);
    expect(resolveLimit(1e6)).toBe(MAX_LIMIT);
    expect(resolveLimit(Number.POSITIVE_INFINITY)).toBe(DEFAULT_LIMIT);
  });

  it('floors a fractional limit', () => {
    expect(resolveLimit(3.9)).toBe(3);
  });
});

describe('toBoundedQuery', () => {
  it.each(['', '   ', '\n\t '])('refuses a query of only whitespace (%j)', (query) => {
    expect(() => toBoundedQuery(query)).toThrow(VectorSearchError);
    expect(() => toBoundedQuery(query)).toThrow('query must not be empty');
  });

  it('says which stage refused and how long the query was', () => {
    try {
      toBoundedQuery('  ');
      expect.unreachable();
    } catch (error) {
      expect((error as VectorSearchError).data).toEqual({ stage: 'query', queryLength: 2 });
    }
  });

  it('trims a query and cuts a 100 KB one at MAX_QUERY_CHARS instead of refusing it', () => {
    expect(toBoundedQuery('  read a file \n')).toBe('read a file');
    const long = toBoundedQuery('read the file '.repeat(8_000));
    expect(long).toHaveLength(MAX_QUERY_CHARS);
  });
});
