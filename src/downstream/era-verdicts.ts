// What pml remembers of each server's protocol era between its connects: the outcome of one
// `server/discover` probe, dated, handed back to the SDK as `connect({ prior })` so a restart does
// not probe again. Only pml's clock retires a verdict: a stale legacy one would succeed silently
// forever against an upgraded server (it still answers `initialize`), so it must expire.
import type { Client, DiscoverResult, PriorDiscovery } from '@modelcontextprotocol/client';

export type ProtocolEraName = 'modern' | 'legacy';

export interface EraVerdict {
  era: ProtocolEraName;
  protocolVersion: string;
  /** The server's `server/discover` answer (modern only): what a later connect adopts. */
  discover?: DiscoverResult | undefined;
  /** When the probe decided, ISO 8601; reusing the verdict does not move it. */
  negotiatedAt: string;
  /** Set when pml fell back to 2025-11-25 after the server failed as 2026-07-28: what it did. */
  fallback?: string | undefined;
}

/** A day: servers are upgraded on the scale of releases, and a re-probe costs one round trip. */
export const VERDICT_FRESH_MS = 24 * 60 * 60 * 1000;

export class EraVerdicts {
  private readonly verdicts = new Map<string, EraVerdict>();

  constructor(
    private readonly nowMs: () => number = Date.now,
    private readonly freshForMs = VERDICT_FRESH_MS,
  ) {}

  /** The verdict for `serverId` while it is fresh; a stale one is dropped. */
  get(serverId: string): EraVerdict | undefined {
    const verdict = this.verdicts.get(serverId);
    if (!verdict) return undefined;
    if (this.nowMs() - Date.parse(verdict.negotiatedAt) < this.freshForMs) return verdict;
    this.verdicts.delete(serverId);
    return undefined;
  }

  /** Forgets a verdict a connect failed with, so the next connect probes again. */
  delete(serverId: string): void {
    this.verdicts.delete(serverId);
  }

  /**
   * Keeps 2025-11-25 for a server that answered the probe as 2026-07-28 but failed in that era, with
   * what it did; dated now, so after a day pml probes again (the server may have been fixed).
   */
  recordFallback(serverId: string, reason: string): EraVerdict {
    const verdict: EraVerdict = {
      era: 'legacy',
      protocolVersion: 'unknown',
      negotiatedAt: new Date(this.nowMs()).toISOString(),
      fallback: reason,
    };
    this.verdicts.set(serverId, verdict);
    return verdict;
  }

  /** Keeps the verdict of a client that just connected without one, dated now, and returns it. */
  record(serverId: string, client: Client): EraVerdict {
    const discover = client.getDiscoverResult();
    const verdict: EraVerdict = {
      era: client.getProtocolEra() === 'modern' ? 'modern' : 'legacy',
      protocolVersion: client.getNegotiatedProtocolVersion() ?? 'unknown',
      ...(discover ? { discover } : {}),
      negotiatedAt: new Date(this.nowMs()).toISOString(),
    };
    this.verdicts.set(serverId, verdict);
    return verdict;
  }
}

/** The SDK's form of a verdict, for `connect(transport, { prior })`; none means probe. */
export function toPriorDiscovery(verdict: EraVerdict | undefined): PriorDiscovery | undefined {
  if (verdict?.era === 'legacy') return { kind: 'legacy' };
  return verdict?.discover ? { kind: 'modern', discover: verdict.discover } : undefined;
}
