// The session registry alone, with fake timers: the limit and its message, when idle sessions end,
// and that an ended id is forgotten before anything else happens.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRecordingLogger } from '../../../test/helpers/recording-logger.js';
import { HttpSessionRegistry, type HttpSessionEntry } from './http-session-registry.js';

/** A session whose transport and session only record that they were closed. */
function createFakeEntry(closed: string[], name: string): HttpSessionEntry {
  return {
    transport: { close: async () => void closed.push(`${name} transport`) },
    session: { close: async () => void closed.push(`${name} session`) },
  } as unknown as HttpSessionEntry;
}

describe('HttpSessionRegistry', () => {
  const closed: string[] = [];
  let registry: HttpSessionRegistry;
  beforeEach(() => {
    vi.useFakeTimers();
    closed.length = 0;
    registry = new HttpSessionRegistry({ sessionIdleMs: 1_000, maxSessions: 2 }, createRecordingLogger());
  });
  afterEach(() => vi.useRealTimers());

  it('refuses a session past maxSessions, naming the count, the keys and the remedies', async () => {
    registry.add('a', createFakeEntry(closed, 'a'));
    expect(registry.refuseIfFull()).toBeUndefined();
    registry.add('b', createFakeEntry(closed, 'b'));
    const refusal = registry.refuseIfFull();
    expect(refusal?.status).toBe(503);
    expect(refusal?.message).toMatch(/2 sessions are live.*gateway\.http\.maxSessions is 2/);
    expect(refusal?.message).toMatch(
      /DELETE.*gateway\.http\.sessionIdleMs, 1000 ms.*raise gateway\.http\.maxSessions/,
    );
    await registry.end('a', 'test');
    expect(registry.refuseIfFull()).toBeUndefined();
  });

  it('ends a session once its last open exchange has been closed for sessionIdleMs', async () => {
    registry.add('a', createFakeEntry(closed, 'a'));
    const endFirst = registry.beginExchange('a');
    const endSecond = registry.beginExchange('a');
    endFirst();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(registry.find('a')).toBeDefined();
    endSecond();
    await vi.advanceTimersByTimeAsync(999);
    expect(registry.find('a')).toBeDefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(registry.find('a')).toBeUndefined();
    expect(closed).toEqual(['a transport', 'a session']);
  });

  it('restarts the idle clock with each new exchange', async () => {
    registry.add('a', createFakeEntry(closed, 'a'));
    registry.beginExchange('a')();
    await vi.advanceTimersByTimeAsync(900);
    registry.beginExchange('a')();
    await vi.advanceTimersByTimeAsync(900);
    expect(registry.find('a')).toBeDefined();
    await vi.advanceTimersByTimeAsync(100);
    expect(registry.find('a')).toBeUndefined();
  });

  it('forgets an ended id at once and closes it only once', async () => {
    registry.add('a', createFakeEntry(closed, 'a'));
    const ending = registry.end('a', 'deleted');
    expect(registry.find('a')).toBeUndefined();
    await Promise.all([ending, registry.end('a', 'again')]);
    expect(closed).toEqual(['a transport', 'a session']);
    expect(() => registry.beginExchange('a')()).not.toThrow();
  });
});
