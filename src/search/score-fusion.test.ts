import { describe, expect, it } from 'vitest';
import { DEFAULT_RANKING } from './ranking-options.js';
import {
  buildServerScores,
  fuseScores,
  selectTop,
  toMaxNormalised,
  toMeanMaxNormalised,
} from './score-fusion.js';

const weights = { ...DEFAULT_RANKING, serverMentionWeight: 0, actionWeight: 0, useWeight: 0 };
const twoServers = { serverOf: Uint32Array.from([0, 0, 1, 1]), serverCount: 2 };

describe('normalisation', () => {
  it('scales BM25 so the best match is 1', () => {
    expect([...toMaxNormalised([0, 2, 4])]).toEqual([0, 0.5, 1]);
    expect([...toMaxNormalised([0, 0])]).toEqual([0, 0]);
  });

  it('maps cosines so the mean is 0 and the best 1, ignoring tools without a vector', () => {
    const normalised = toMeanMaxNormalised(Float32Array.from([0.1, 0.3, 0.5, Number.NaN]));
    expect([...normalised].map((value) => Number(value.toFixed(6)))).toEqual([0, 0, 1, 0]);
  });
});

describe('fuseScores', () => {
  it('lets a strong cosine beat a chance word match when the two are fused', () => {
    const lexical = Float64Array.from([1, 0.9, 0, 0]);
    const semantic = Float32Array.from([0.1, 0.6, 0.2, 0.1]);
    const scores = fuseScores({ lexical, semantic, ...twoServers }, weights);
    expect(selectTop(scores, 1)).toEqual([1]);
  });

  it('keeps the lexical scale when there are no vectors', () => {
    const scores = fuseScores({ lexical: Float64Array.from([2, 1, 0, 0]), ...twoServers }, weights);
    expect([...scores]).toEqual([1, 0.5, 0, 0]);
  });

  it('lifts the tools of the server the query names', () => {
    const lexical = Float64Array.from([1, 0, 0.9, 0]);
    const serverMention = Float64Array.from([0, 1]);
    const scores = fuseScores(
      { lexical, ...twoServers, serverMention },
      { ...weights, serverMentionWeight: 0.2 },
    );
    expect(selectTop(scores, 1)).toEqual([2]);
  });

  it('lifts a tool whose name has the verb the query asks for, when it matches at all', () => {
    const lexical = Float64Array.from([1, 0.95, 0, 0]);
    const actionMatch = Float64Array.from([0, 1, 0, 1]);
    const scores = fuseScores({ lexical, ...twoServers, actionMatch }, { ...weights, actionWeight: 0.1 });
    expect(selectTop(scores, 4)).toEqual([1, 0]);
  });

  it('lifts a tool used before for a similar query', () => {
    const lexical = Float64Array.from([1, 0.8, 0, 0]);
    const useBoost = Float64Array.from([0, 0.5, 0, 0]);
    expect(
      selectTop(fuseScores({ lexical, ...twoServers, useBoost }, { ...weights, useWeight: 0.5 }), 1),
    ).toEqual([1]);
  });

  it("adds the server's own relevance: the mean of its best tools", () => {
    const fused = Float64Array.from([0.9, 0.8, 1, 0]);
    expect(
      [...buildServerScores(fused, { lexical: fused, ...twoServers }, 2)].map((v) => v.toFixed(2)),
    ).toEqual(['0.85', '0.50']);
    const scores = fuseScores({ lexical: fused, ...twoServers }, { ...weights, serverWeight: 0.5 });
    expect(selectTop(scores, 1)).toEqual([0]);
  });
});

describe('selectTop', () => {
  it('returns the best positions first, at most limit, without zero scores', () => {
    expect(selectTop(Float64Array.from([0.2, 0, 0.9, 0.5, 0.7]), 3)).toEqual([2, 4, 3]);
    expect(selectTop(Float64Array.from([0, 0]), 5)).toEqual([]);
  });

  it('keeps catalog order among equal scores', () => {
    expect(selectTop(Float64Array.from([0.5, 0.5, 0.5]), 2)).toEqual([0, 1]);
  });
});
