// Bad input from the client and bad servers behind the gateway: each gets a clear error, and the
// gateway keeps serving everything else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureServer, everythingServer, waitFor } from '../helpers/gateway.js';
import { RawStdioPeer } from '../helpers/raw-stdio.js';

describe('bad input from the client', () => {
  let peer: RawStdioPeer;
  beforeAll(async () => {
    peer = await RawStdioPeer.start({ mcpServers: { fixture: fixtureServer() } });
  });
  afterAll(async () => {
    await peer?.stop();
  });

  const echoWorks = async () => {
    const response = await peer.request('tools/call', {
      name: 'fixture__echo',
      arguments: { text: 'still here' },
    });
    expect(response.result).toMatchObject({ content: [{ type: 'text', text: 'Echo: still here' }] });
  };

  it('answers malformed JSON with a parse error and keeps serving', async () => {
    peer.writeLine('{"jsonrpc": "2.0", "id": 99, "method": ');
    const response = await peer.waitForId(null);
    expect(response.error?.code).toBe(-32700);
    expect(response.error?.message).toMatch(/not valid JSON/);
    await echoWorks();
  });

  it('answers a message that is not JSON-RPC with invalid request, by id', async () => {
    peer.writeLine(JSON.stringify({ jsonrpc: '1.0', id: 'x1', method: 'tools/list' }));
    const response = await peer.waitForId('x1');
    expect(response.error).toMatchObject({
      code: -32600,
      message: expect.stringMatching(/"jsonrpc" must be "2.0"/),
    });
    await echoWorks();
  });

  it('answers an unknown method with method not found', async () => {
    const response = await peer.request('tools/teleport');
    expect(response.error?.code).toBe(-32601);
    await echoWorks();
  });

  it('answers a tools/call without a tool name with invalid params', async () => {
    const response = await peer.request('tools/call', { arguments: {} });
    expect(response.error).toMatchObject({
      code: -32602,
      message: expect.stringMatching(/params\.name must be the tool name/),
    });
    const badArguments = await peer.request('tools/call', { name: 'fixture__echo', arguments: 'text' });
    expect(badArguments.error).toMatchObject({
      code: -32602,
      message: expect.stringMatching(/params\.arguments must be an object/),
    });
    await echoWorks();
  });

  it('answers malformed params of other methods with invalid params and one readable sentence', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      [
        'logging/setLevel',
        { level: 'loud' },
        /^Invalid logging\/setLevel request: params\.level must be one of debug, .*, not "loud"\.$/,
      ],
      ['resources/read', {}, /^Invalid resources\/read request: params\.uri is required \(a string\)\.$/],
      [
        'prompts/get',
        { name: 7 },
        /^Invalid prompts\/get request: params\.name must be a string, not a number\.$/,
      ],
      [
        'completion/complete',
        { ref: { type: 'ref/file' }, argument: { name: 'a', value: 'b' } },
        /^Invalid completion\/complete request: params\.ref\.type must be one of "ref\/prompt", "ref\/resource"\.$/,
      ],
    ];
    for (const [method, params, message] of cases) {
      const response = await peer.request(method, params);
      expect(response.error, method).toMatchObject({ code: -32602, message: expect.stringMatching(message) });
    }
    await echoWorks();
  });

  it('refuses a 10 MB argument with a clear error that reaches the caller, then keeps serving', async () => {
    const id = 'big-1';
    const huge = 'x'.repeat(10 * 1024 * 1024);
    peer.writeLine(
      JSON.stringify({
        jsonrpc: '2.0',
        id,
        method: 'tools/call',
        params: { name: 'fixture__echo', arguments: { text: huge } },
      }),
    );
    const response = await peer.waitForId(id);
    expect(response.error?.code).toBe(-32600);
    expect(response.error?.message).toMatch(
      /Message too large: 10\.0 MiB exceeds the gateway limit of 8\.0 MiB \(gateway\.maxMessageBytes\)/,
    );
    await echoWorks();
  });

  it('passes a large argument under the limit through intact', async () => {
    const text = 'y'.repeat(2 * 1024 * 1024);
    const response = await peer.request('tools/call', { name: 'fixture__echo', arguments: { text } });
    const content = (response.result?.content as { text: string }[])[0]!.text;
    expect(content.length).toBe(text.length + 'Echo: '.length);
  });

  it('writes nothing but JSON-RPC to stdout', () => {
    for (const line of peer.stdout.trim().split('\n'))
      expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
  });
});

describe('bad servers behind the gateway', () => {
  let peer: RawStdioPeer;
  beforeAll(async () => {
    peer = await RawStdioPeer.start({
      mcpServers: {
        good: everythingServer(),
        missing: { command: 'pml-no-such-command-xyz', args: [] },
        exits: fixtureServer({ env: { FIXTURE_MODE: 'exit-at-start' } }),
        silent: fixtureServer({ env: { FIXTURE_MODE: 'never-answer' }, connectTimeoutMs: 1000 }),
        noisy: fixtureServer({ env: { FIXTURE_MODE: 'garbage-at-start' } }),
      },
      gateway: { restart: { maxAttempts: 1, initialDelayMs: 200 } },
    });
  });
  afterAll(async () => {
    await peer?.stop();
  });

  it('lists the healthy servers tools without waiting for the broken ones', async () => {
    const response = await peer.request('tools/list');
    const names = (response.result?.tools as { name: string }[]).map((tool) => tool.name);
    expect(names).toContain('good__echo');
    expect(names).toContain('noisy__echo');
    expect(
      names.some(
        (name) => name.startsWith('missing__') || name.startsWith('exits__') || name.startsWith('silent__'),
      ),
    ).toBe(false);
  });

  it('serves calls to healthy servers while others are broken', async () => {
    const response = await peer.request('tools/call', { name: 'good__echo', arguments: { message: 'ok' } });
    expect(JSON.stringify(response.result)).toContain('ok');
  });

  it('reports each broken server with a clear reason in gateway_status', async () => {
    type Status = { id: string; state: string; lastError?: { message: string } };
    const readServers = async () => {
      const response = await peer.request('tools/call', { name: 'gateway_status', arguments: {} });
      return (response.result?.structuredContent as { servers: Status[] }).servers;
    };
    // The one allowed restart fails too; wait for pml to give up on the broken servers.
    const broken = new Set(['missing', 'exits', 'silent']);
    const servers = await waitFor(async () => {
      const listed = await readServers();
      return listed.filter((server) => broken.has(server.id)).every((server) => server.state === 'failed')
        ? listed
        : undefined;
    });
    const byId = Object.fromEntries(servers.map((server) => [server.id, server]));
    expect(byId.good?.state).toBe('ready');
    expect(byId.noisy?.state).toBe('ready');
    expect(byId.missing?.lastError?.message).toMatch(/command "pml-no-such-command-xyz" was not found/);
    expect(byId.exits?.lastError?.message).toMatch(
      /exited with code 3; its stderr ends with: fixture: configured to exit at start/,
    );
    expect(byId.silent?.lastError?.message).toMatch(/did not answer initialize within 1000 ms/);
    for (const id of ['missing', 'exits', 'silent']) expect(byId[id]?.state).toBe('failed');
  });
});
