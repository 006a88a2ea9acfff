// The ToolInvoker's answers about servers that are not ready, in process: a server held in
// `starting` (its side of the link never opens until the test says so), one whose every start fails
// (`restarting`, or `failed` with no attempts left), and one that dropped after being ready.
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport, type Transport } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildTestConfig,
  createDeferred,
  createToolServer,
  textResult,
  type TestTool,
} from '../../../test/helpers/in-process.js';
import { MCPServerError, ToolNotFoundError } from '../../errors/index.js';
import { silentLogger } from '../../shared/logger.js';
import { waitUntil } from '../../shared/wait-until.js';
import { createGateway, type Gateway } from '../create-gateway.js';

const ECHO: Record<string, TestTool> = {
  echo: { handle: (args) => textResult(`echo: ${String(args.text)}`) },
};
// `ping` is served by `a` and `late` only: the name two servers share once `late` connects.
const ECHO_AND_PING: Record<string, TestTool> = { ...ECHO, ping: { handle: () => textResult('pong') } };

let gateway: Gateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

/**
 * Servers `a` (ready at once), `late` (starting until `release()`), `broken` (every start throws)
 * and `flaky` (ready; `drop()` cuts it). Resolves once `a` is ready and `broken` has failed a start.
 */
async function startGateway(gatewaySection: Record<string, unknown>) {
  const release = createDeferred();
  const live = new Map<string, Transport>();
  const link = (createServer: () => ReturnType<typeof createToolServer>, opened: Promise<void>) => {
    const [gatewaySide, serverSide] = InMemoryTransport.createLinkedPair();
    // Until the server side connects, what pml sends waits in the link's queue: a server still starting.
    void opened.then(() => createServer().connect(serverSide));
    return gatewaySide;
  };
  gateway = createGateway({
    config: buildTestConfig(['a', 'late', 'broken', 'flaky'], gatewaySection, {
      search: { embedder: 'none' },
    }),
    logger: silentLogger,
    createTransport: (server) => {
      if (server.id === 'broken') throw new Error('the in-process server refused to start');
      const transport = link(
        () => createToolServer(server.id === 'flaky' ? ECHO : ECHO_AND_PING),
        server.id === 'late' ? release.promise : Promise.resolve(),
      );
      live.set(server.id, transport);
      return transport;
    },
  });
  const { core } = gateway;
  core.start();
  const stateOf = (serverId: string) => core.servers.statusOf(serverId)?.state;
  await waitUntil(
    () => stateOf('a') === 'ready' && stateOf('flaky') === 'ready' && stateOf('broken') !== 'starting',
    (check) => core.servers.onChange(check),
    10_000,
  );
  return {
    core,
    invoker: core.invoker,
    release: () => release.resolve(),
    drop: (serverId: string) => live.get(serverId)!.close(),
  };
}

async function connectClient(target: Gateway): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await target.connect(serverSide, 'memory');
  const client = new Client({ name: 'readiness-test', version: '1.0.0' }, { capabilities: {} });
  await client.connect(clientSide);
  return client;
}

async function toRejection(call: Promise<unknown>): Promise<Error> {
  return call.then(
    () => expect.fail('the call succeeded'),
    (error: unknown) => error as Error,
  );
}

const HOLD_RESTARTS = { restart: { initialDelayMs: 600_000, maxDelayMs: 600_000 } };

describe('ToolInvoker with servers that are not ready', () => {
  it('waits from the call, not from gateway start, for a server still starting', async () => {
    const { core, invoker, release } = await startGateway({ startupWaitMs: 1_000, ...HOLD_RESTARTS });
    // The gateway's own startup window is over: before, a call made now did not wait at all.
    await core.waitForStartup();

    const call = invoker.invoke('late__echo', { text: 'hi' });
    release();

    expect(await call).toEqual(textResult('echo: hi'));
  });

  it('finds a ready server’s tool that gets its prefix when a server starting in the window shares its name', async () => {
    // Bare names: `a`'s ping is `ping` until `late` connects with a ping of its own.
    const { invoker, release } = await startGateway({
      startupWaitMs: 60_000,
      toolPrefix: 'never',
      ...HOLD_RESTARTS,
    });

    const call = invoker.invoke('a__ping', {});
    release();

    expect(await call).toEqual(textResult('pong'));
  });

  it('says a server is still starting, and for how long, once the wait is over', async () => {
    const { invoker } = await startGateway({ startupWaitMs: 50, ...HOLD_RESTARTS });

    const error = await toRejection(invoker.invoke('late__echo', { text: 'hi' }));

    expect(error).toBeInstanceOf(MCPServerError);
    expect((error as MCPServerError).data).toMatchObject({
      serverId: 'late',
      reason: 'unavailable',
      state: 'starting',
      tool: 'late__echo',
    });
    expect(error.message).toMatch(
      /^Tool "late__echo" is not available: Server "late" is still starting \(for \d+ (ms|s)\); its tools appear once it is ready\. Try again shortly, or raise gateway\.startupWaitMs or mcpServers\.late\.connectTimeoutMs\.$/,
    );
    expect(await invoker.invoke('a__echo', { text: 'still served' })).toEqual(
      textResult('echo: still served'),
    );
  });

  it('says a server is restarting, with its last error, and that it never restarted yet', async () => {
    const { invoker } = await startGateway({ startupWaitMs: 50, ...HOLD_RESTARTS });

    const error = await toRejection(invoker.invoke('broken__anything', {}));

    expect((error as MCPServerError).data).toMatchObject({ reason: 'unavailable', state: 'restarting' });
    expect(error.message).toMatch(
      /Server "broken" is down and pml is restarting it \(for \d+ (ms|s)\)\. Last error: the in-process server refused to start\. It has not been restarted yet\. pml keeps retrying; try again shortly\./,
    );
  });

  it('says pml gave up on a server, and what to fix', async () => {
    const { invoker } = await startGateway({ startupWaitMs: 50, restart: { maxAttempts: 0 } });

    const error = await toRejection(invoker.invoke('broken__anything', {}));

    expect((error as MCPServerError).data).toMatchObject({ reason: 'unavailable', state: 'failed' });
    expect(error.message).toMatch(
      /Server "broken" is down and pml gave up restarting it \(for \d+ (ms|s)\)\. Last error: the in-process server refused to start\. It has not been restarted yet\. Fix the server \(mcpServers\.broken\) and restart pml\./,
    );
  });

  it('suggests the close names of a server that is not ready but still listed', async () => {
    const { invoker, drop } = await startGateway({ startupWaitMs: 50, ...HOLD_RESTARTS });
    await drop('flaky');

    const error = await toRejection(invoker.invoke('flaky__echoo', {}));

    expect((error as MCPServerError).data).toMatchObject({
      state: 'restarting',
      suggestions: ['flaky__echo'],
    });
    expect(error.message).toMatch(/Did you mean "flaky__echo"\?$/);
  });

  it('lists the servers not ready when a bare name has no prefix to go by', async () => {
    const { invoker } = await startGateway({ startupWaitMs: 50, toolPrefix: 'never', ...HOLD_RESTARTS });

    const error = await toRejection(invoker.invoke('anything', {}));

    expect(error).toBeInstanceOf(ToolNotFoundError);
    expect((error as ToolNotFoundError).data.notReady).toEqual([
      { server: 'late', state: 'starting', since: expect.any(String) },
      { server: 'broken', state: 'restarting', since: expect.any(String) },
    ]);
    expect(error.message).toMatch(
      /Not ready yet, so their tools are not listed: late \(starting for \d+ (ms|s)\), broken \(restarting for \d+ (ms|s)\); gateway_status says why\./,
    );
  });

  it('does not list servers whose tools always carry their prefix for a bare name', async () => {
    const { invoker } = await startGateway({ startupWaitMs: 50, ...HOLD_RESTARTS });

    const error = await toRejection(invoker.invoke('anything', {}));

    expect((error as ToolNotFoundError).data).toEqual({
      tool: 'anything',
      operation: 'tools/call',
      suggestions: [],
    });
  });
});

describe('search_tools with servers that are not ready', () => {
  it('names the servers not indexed yet beside its hits, and not one that keeps its tools listed', async () => {
    const { drop } = await startGateway({ startupWaitMs: 50, ...HOLD_RESTARTS });
    await drop('flaky');
    const client = await connectClient(gateway!);

    const answer = await client.callTool({ name: 'search_tools', arguments: { query: 'echo' } });
    await client.close();

    const content = answer.structuredContent as {
      hits: { name: string }[];
      notIndexed: unknown[];
      note: string;
    };
    expect(content.hits.map((hit) => hit.name)).toContain('a__echo');
    expect(content.notIndexed).toEqual([
      { server: 'late', state: 'starting', since: expect.any(String) },
      { server: 'broken', state: 'restarting', since: expect.any(String) },
    ]);
    expect(content.note).toMatch(
      /^Not indexed yet, so none of their tools is among the hits: late \(starting for/,
    );
  });
});
