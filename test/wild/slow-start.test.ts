// A server slow to start. Quicker than startupWaitMs, the first tools/list through pml waits for it
// (the list is sent as soon as pml answers initialize, well within the server's 2 s delay).
// Slower than that (but within connectTimeoutMs), the first list returns without it; when it is up
// the client hears tools/list_changed, lists it, and calls it as it would directly.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listBareTools,
  openBothWays,
  openDirect,
  runBothWays,
  sameServer,
  type BothWays,
} from '../helpers/direct-and-through-pml.js';
import { waitFor } from '../helpers/gateway.js';
import { wildFixture } from '../helpers/wild-fixtures.js';

const gateDir = mkdtempSync(join(tmpdir(), 'pml-wild-gate-'));
const gate = join(gateDir, 'open');
let quick: BothWays;
let late: BothWays;

const lateEcho = (both: Pick<BothWays, 'direct' | 'pml'>) =>
  runBothWays(both, (side) =>
    side.client.callTool({ name: side.name('late_echo'), arguments: { text: 'hi' } }),
  );

beforeAll(async () => {
  [quick, late] = await Promise.all([
    openBothWays(sameServer('slow', wildFixture('slow-start', { WILD_START_DELAY_MS: '2000' })), {
      pmlConfig: { gateway: { startupWaitMs: 20_000 } },
      skipDirect: true,
    }),
    openBothWays(sameServer('slow', wildFixture('slow-start', { WILD_START_GATE: gate })), {
      pmlConfig: { gateway: { startupWaitMs: 100 } },
      pmlEntry: { connectTimeoutMs: 60_000 },
      skipDirect: true,
    }),
  ]);
});

afterAll(async () => {
  if (!existsSync(gate)) writeFileSync(gate, '');
  await Promise.all([quick?.close(), late?.close()]);
  rmSync(gateDir, { recursive: true, force: true });
});

describe('a server quicker than startupWaitMs', () => {
  it('is in the first tools/list through pml, as it is directly', async () => {
    // Listed through pml before anything else waits for the server.
    const first = await listBareTools(quick.pml, 'slow');
    quick.directClients.set(
      'slow',
      await openDirect(wildFixture('slow-start', { WILD_START_DELAY_MS: '2000' })),
    );
    const direct = await listBareTools(quick.direct, 'slow');
    expect(direct.map((tool) => tool.name)).toEqual(['late_echo']);
    expect(first).toEqual(direct);
    const call = await lateEcho(quick);
    expect(call.pml).toEqual(call.direct);
  });
});

describe('a server slower than startupWaitMs', () => {
  it('is missing from the first list, then announced with tools/list_changed and callable', async () => {
    const first = await listBareTools(late.pml, 'slow');
    expect(first).toEqual([]);
    expect(late.pml.notifications.some((n) => n.method === 'notifications/tools/list_changed')).toBe(false);

    writeFileSync(gate, '');
    await waitFor(
      () => late.pml.notifications.some((n) => n.method === 'notifications/tools/list_changed'),
      30_000,
    );
    late.directClients.set('slow', await openDirect(wildFixture('slow-start', { WILD_START_GATE: gate })));

    const { direct, pml } = await runBothWays(late, (side) => listBareTools(side, 'slow'));
    expect(direct.ok && direct.value.map((tool) => tool.name)).toEqual(['late_echo']);
    expect(pml).toEqual(direct);
    const call = await lateEcho(late);
    expect(call.direct.ok).toBe(true);
    expect(call.pml).toEqual(call.direct);
  });
});
