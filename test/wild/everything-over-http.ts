// server-everything in one of its HTTP modes (HTTP+SSE or Streamable HTTP) on a free loopback port,
// compared straight and through pml (configured with the server's URL) as over stdio.
import { afterAll, beforeAll, describe } from 'vitest';
import { openBothWays, sameServer, type BothWays } from '../helpers/direct-and-through-pml.js';
import { findFreePort, startEverythingHttp, type UpstreamProcess } from '../helpers/upstream-process.js';
import { compareEverything, EVERYTHING_ID, everythingClientOptions } from './everything-comparisons.js';

export function describeEverythingOverHttp(title: string, mode: 'sse' | 'streamableHttp'): void {
  let server: UpstreamProcess;
  let both: BothWays;

  beforeAll(async () => {
    server = await startEverythingHttp(await findFreePort(), mode);
    const type = mode === 'sse' ? 'sse' : 'http';
    both = await openBothWays(sameServer(EVERYTHING_ID, { url: server.url, type }), everythingClientOptions);
  });

  afterAll(async () => {
    await both?.close();
    await server?.kill();
  });

  describe(title, () => {
    compareEverything(() => both);
  });
}
