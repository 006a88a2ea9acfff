import { describe, expect, it } from 'vitest';
import { createUseLog, toSharedWeight } from './use-signal.js';
import { toUnitVector } from './vector-store.js';

const match = { minSimilarity: 0.5, weightOf: () => 1 };

describe('createUseLog', () => {
  it('lifts the tool for a query close to the one that led to it, not for a distant one', () => {
    const log = createUseLog();
    log.add('stop the vm', ['stop', 'vm'], 'aws__ec2_stop_instances').vector = toUnitVector([1, 0, 0]);
    const near = log.toBoosts(['halt', 'vm'], toUnitVector([0.9, 0.1, 0]), match);
    expect(near.get('aws__ec2_stop_instances')).toBeGreaterThan(0.4);
    expect(log.toBoosts(['weather'], toUnitVector([0, 1, 0]), match).size).toBe(0);
  });

  it('lifts more the more often the pair was seen', () => {
    const log = createUseLog();
    const vector = toUnitVector([1, 0]);
    log.add('q', ['q'], 'tool').vector = vector;
    const once = log.toBoosts(['q'], vector, match).get('tool')!;
    log.add('q', ['q'], 'tool');
    expect(log.toBoosts(['q'], vector, match).get('tool')!).toBeGreaterThan(once);
    expect(log.size).toBe(1);
  });

  it('compares by shared rare words when a query has no vector', () => {
    const log = createUseLog();
    log.add('get rid of the vm', ['get', 'rid', 'vm'], 'terminate');
    const weightOf = (term: string) => (term === 'get' ? 0.1 : 2);
    expect(log.toBoosts(['rid', 'vm'], undefined, { minSimilarity: 0.5, weightOf }).get('terminate')).toBe(
      0.5,
    );
    expect(log.toBoosts(['get', 'file'], undefined, { minSimilarity: 0.5, weightOf }).size).toBe(0);
  });

  it('forgets the oldest uses past its bound, and lists those still without a vector', () => {
    const log = createUseLog(2);
    log.add('a', ['a'], 'tool-a');
    log.add('b', ['b'], 'tool-b').vector = toUnitVector([1]);
    log.add('c', ['c'], 'tool-c');
    expect(log.size).toBe(2);
    expect(log.withoutVectors().map((record) => record.query)).toEqual(['c']);
  });
});

describe('toSharedWeight', () => {
  it('is the share of the query weight the earlier query also said', () => {
    expect(toSharedWeight(['a', 'b'], ['b', 'c'], () => 1)).toBe(0.5);
    expect(toSharedWeight([], ['a'], () => 1)).toBe(0);
  });
});
