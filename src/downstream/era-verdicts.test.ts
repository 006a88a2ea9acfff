import { describe, expect, it } from 'vitest';
import type { Client, DiscoverResult } from '@modelcontextprotocol/client';
import { EraVerdicts, VERDICT_FRESH_MS, toPriorDiscovery } from './era-verdicts.js';

const DISCOVER = { supportedVersions: ['2026-07-28'], capabilities: { tools: {} } } as DiscoverResult;

/** A client as it is once connected: what it says of the era it landed on. */
function connectedClient(era: 'modern' | 'legacy'): Client {
  return {
    getProtocolEra: () => era,
    getNegotiatedProtocolVersion: () => (era === 'modern' ? '2026-07-28' : '2025-11-25'),
    getDiscoverResult: () => (era === 'modern' ? DISCOVER : undefined),
  } as Partial<Client> as Client;
}

describe('EraVerdicts', () => {
  it("records a connected client's era, version and discover result, dated by its clock", () => {
    const nowMs = Date.parse('2026-08-01T00:00:00Z');
    const verdicts = new EraVerdicts(() => nowMs);

    expect(verdicts.record('a', connectedClient('modern'))).toEqual({
      era: 'modern',
      protocolVersion: '2026-07-28',
      discover: DISCOVER,
      negotiatedAt: '2026-08-01T00:00:00.000Z',
    });
    expect(verdicts.record('b', connectedClient('legacy'))).toEqual({
      era: 'legacy',
      protocolVersion: '2025-11-25',
      negotiatedAt: '2026-08-01T00:00:00.000Z',
    });
  });

  it('hands a verdict back while it is fresh, and drops it once the day is over', () => {
    let nowMs = Date.parse('2026-08-01T00:00:00Z');
    const verdicts = new EraVerdicts(() => nowMs);
    verdicts.record('a', connectedClient('modern'));

    nowMs += VERDICT_FRESH_MS - 1;
    expect(verdicts.get('a')?.era).toBe('modern');
    nowMs += 1;
    expect(verdicts.get('a')).toBeUndefined();
    nowMs -= 1;
    expect(verdicts.get('a')).toBeUndefined();
  });

  it('keeps one verdict per server and forgets the one it is told to', () => {
    const verdicts = new EraVerdicts();
    verdicts.record('a', connectedClient('modern'));
    verdicts.record('b', connectedClient('legacy'));

    verdicts.delete('a');

    expect(verdicts.get('a')).toBeUndefined();
    expect(verdicts.get('b')?.era).toBe('legacy');
  });
});

describe('toPriorDiscovery', () => {
  it('turns a modern verdict into its discover result, a legacy one into the legacy arm, none into a probe', () => {
    const verdicts = new EraVerdicts();

    expect(toPriorDiscovery(verdicts.record('a', connectedClient('modern')))).toEqual({
      kind: 'modern',
      discover: DISCOVER,
    });
    expect(toPriorDiscovery(verdicts.record('b', connectedClient('legacy')))).toEqual({ kind: 'legacy' });
    expect(toPriorDiscovery(undefined)).toBeUndefined();
  });
});
