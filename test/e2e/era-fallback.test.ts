// Servers that claim 2026-07-28 and do not hold to it, behind the built pml: pml falls back to
// 2025-11-25 for them, says so once in its log and in gateway_status, and sends again only what
// cannot have run. A per-server `protocol` pins the era: no probe for 2025-11-25, no fallback for
// 2026-07-28.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/client';
import {
  closeAndRemove,
  fixtureServer,
  startStdioGateway,
  textOf,
  type StdioGateway,
} from '../helpers/gateway.js';
import { NODE, ROOT } from '../helpers/paths.js';

const HALF_MODERN = join(ROOT, 'test', 'fixtures', 'half-modern-server.mjs');
const work = mkdtempSync(join(tmpdir(), 'pml-era-fallback-'));
let gateway: StdioGateway | undefined;
let runs = 0;

afterEach(async () => {
  await closeAndRemove(gateway);
  gateway = undefined;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A half-modern server entry whose tool runs are logged to a file of its own. */
function halfModern(mode: string, extra: Record<string, unknown> = {}) {
  const runLog = join(work, `runs-${++runs}.log`);
  const entry = {
    command: NODE,
    args: [HALF_MODERN],
    env: { FIXTURE_MODE: mode, FIXTURE_RUN_LOG: runLog },
    ...extra,
  };
  return { entry, runsOf: (tool: string) => readLines(runLog).filter((line) => line === tool).length };
}

function readLines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/** The gateway, once its servers' first connects have settled (the first tools/list waits for them). */
async function start(servers: Record<string, unknown>): Promise<Client> {
  gateway = await startStdioGateway({ mcpServers: servers, storage: { enabled: false } });
  await gateway.client.listTools();
  return gateway.client;
}

async function statusOf(client: Client, id: string) {
  const result = await client.callTool({ name: 'gateway_status', arguments: {} });
  return (result.structuredContent as { servers: Record<string, unknown>[] }).servers.find(
    (s) => s.id === id,
  )!;
}

const countMatches = (text: string, pattern: RegExp) => text.match(new RegExp(pattern, 'g'))?.length ?? 0;

describe('a server that answers server/discover but wants initialize', () => {
  it('is spoken to in 2025-11-25 from the start, said once in the log and in gateway_status', async () => {
    const { entry } = halfModern('wants-initialize');
    const client = await start({ half: entry });

    const result = await client.callTool({ name: 'half__echo', arguments: { text: 'hi' } });

    expect(textOf(result)).toBe('Echo: hi');
    const status = await statusOf(client, 'half');
    expect(status).toMatchObject({ state: 'ready', era: 'legacy', protocolVersion: '2025-11-25' });
    expect(String(status.eraFallback)).toMatch(
      /refused a 2026-07-28 tools\/list: Bad Request: Server not initialized/,
    );
    expect(countMatches(gateway!.stderr(), /pml speaks 2025-11-25 with it from now on/)).toBe(1);
  });
});

describe('a server whose 2026-07-28 tools/call answers in a draft shape', () => {
  it('fails that one call clearly without running it again, then serves in 2025-11-25', async () => {
    const { entry, runsOf } = halfModern('draft-results');
    const client = await start({ half: entry });
    expect((await statusOf(client, 'half')).era).toBe('modern');

    const first = await client.callTool({ name: 'half__echo', arguments: { text: 'once' } });

    expect(first.isError).toBe(true);
    expect(textOf(first)).toMatch(
      /Server "half" answered as protocol 2026-07-28 but its tools\/call result does not fit 2026-07-28: .*pml now speaks 2025-11-25 with it\. The request ran/,
    );
    expect(runsOf('echo')).toBe(1);
    const second = await client.callTool({ name: 'half__echo', arguments: { text: 'twice' } });
    expect(textOf(second)).toBe('Echo: twice');
    expect(runsOf('echo')).toBe(2);
    expect(await statusOf(client, 'half')).toMatchObject({
      era: 'legacy',
      eraFallback: expect.stringMatching(/done/),
    });
  });
});

describe('a pinned protocol', () => {
  it('2025-11-25: no probe at all, and the first call works', async () => {
    const { entry } = halfModern('draft-results', { protocol: '2025-11-25' });
    const client = await start({ half: entry });

    expect(textOf(await client.callTool({ name: 'half__echo', arguments: { text: 'a' } }))).toBe('Echo: a');
    expect(textOf(await client.callTool({ name: 'half__discovers', arguments: {} }))).toBe('0');
    const status = await statusOf(client, 'half');
    expect(status.era).toBe('legacy');
    expect(status.eraFallback).toBeUndefined();
  });

  it('2026-07-28: no fallback, the server stays in that era', async () => {
    const { entry } = halfModern('draft-results', { protocol: '2026-07-28' });
    const client = await start({ half: entry });

    const first = await client.callTool({ name: 'half__echo', arguments: { text: 'a' } });
    const second = await client.callTool({ name: 'half__echo', arguments: { text: 'b' } });

    expect([first.isError, second.isError]).toEqual([true, true]);
    expect(textOf(second)).toMatch(/Unsupported result type 'done'/);
    expect(await statusOf(client, 'half')).toMatchObject({ state: 'ready', era: 'modern' });
  });

  it('2026-07-28 on a server that only speaks 2025-11-25: a start failure that says so', async () => {
    const client = await start({ old: { ...fixtureServer(), protocol: '2026-07-28' }, ok: fixtureServer() });

    const status = await statusOf(client, 'old');

    expect(status.state).not.toBe('ready');
    expect((status.lastError as { message: string }).message).toMatch(/2026-07-28/);
    expect(textOf(await client.callTool({ name: 'ok__echo', arguments: { text: 'still' } }))).toBe(
      'Echo: still',
    );
  });
});
