// Errors that tell the truth about tools and servers, through a real client and the built pml over
// stdio: near-miss names get "did you mean", a tool of a server that exits at start says the server
// is down and why, one of a server that never answers initialize says it is still starting and for
// how long, and search_tools (and `pml search`) names the servers not indexed yet. The healthy
// server keeps serving after each error.
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { ProtocolError } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  everythingServer,
  fixtureServer,
  gatewayEnv,
  startStdioGateway,
  textOf,
  waitFor,
  writeConfig,
  type StdioGateway,
} from '../helpers/gateway.js';
import { CLI, NODE } from '../helpers/paths.js';
import { isAlive, listDescendants } from '../helpers/processes.js';

const STARTUP_WAIT_MS = 300;
const servers = {
  everything: everythingServer(),
  crash: fixtureServer({ env: { FIXTURE_MODE: 'exit-at-start' } }),
  // Never answers initialize; a connect timeout far away keeps it `starting` for the whole test.
  slow: fixtureServer({ env: { FIXTURE_MODE: 'never-answer' }, connectTimeoutMs: 600_000 }),
};
const configOf = (gateway: Record<string, unknown>) => ({
  mcpServers: servers,
  gateway: { startupWaitMs: STARTUP_WAIT_MS, restart: { maxAttempts: 1, initialDelayMs: 100 }, ...gateway },
  search: { embedder: 'none' },
  storage: { enabled: false },
});

async function callError(gateway: StdioGateway, name: string): Promise<ProtocolError> {
  const error = await gateway.client.callTool({ name, arguments: {} }).then(
    () => expect.fail(`${name} was answered`),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ProtocolError);
  return error as ProtocolError;
}

async function expectEchoServed(gateway: StdioGateway): Promise<void> {
  const result = await gateway.client.callTool({
    name: 'everything__echo',
    arguments: { message: 'still here' },
  });
  expect(textOf(result)).toContain('still here');
}

/** Starts pml and waits until the healthy server is ready, so near misses are not answered as "starting". */
async function startGateway(gateway: Record<string, unknown>): Promise<StdioGateway> {
  const started = await startStdioGateway(configOf(gateway));
  await waitFor(async () => {
    const status = await started.client.callTool({ name: 'gateway_status', arguments: {} });
    const listed = (status.structuredContent as { servers: { id: string; state: string }[] }).servers;
    return listed.find((server) => server.id === 'everything')?.state === 'ready';
  });
  return started;
}

/** Closes the gateway, then checks no server it started outlives it and removes its temp folder. */
async function closeWithoutOrphans(gateway: StdioGateway | undefined): Promise<void> {
  if (!gateway) return;
  const children = listDescendants(gateway.pid);
  await gateway.close();
  await waitFor(() => children.every((pid) => !isAlive(pid)));
  rmSync(gateway.dir, { recursive: true, force: true });
}

describe('unknown tools and servers not ready, in all mode', () => {
  let gateway: StdioGateway;
  beforeAll(async () => {
    gateway = await startGateway({});
  });
  afterAll(() => closeWithoutOrphans(gateway));

  it('suggests everything__echo for a typo, in the message and in the error data', async () => {
    const error = await callError(gateway, 'everything__echoo');
    expect(error.code).toBe(-32602);
    expect(error.message).toMatch(/^Unknown tool "everything__echoo"\. Did you mean "everything__echo"\?/);
    expect((error.data as { suggestions: string[] }).suggestions[0]).toBe('everything__echo');
    await expectEchoServed(gateway);
  });

  it('suggests everything__echo for one underscore instead of two', async () => {
    const error = await callError(gateway, 'everything_echo');
    expect(error.message).toMatch(/Did you mean "everything__echo"\?/);
    expect((error.data as { suggestions: string[] }).suggestions).toEqual(['everything__echo']);
    await expectEchoServed(gateway);
  });

  it('says a server that exits at start is down, with its exit code, stderr and last restart', async () => {
    // The one restart allowed fails too: wait until pml has given up.
    await waitFor(async () => {
      const status = await gateway.client.callTool({ name: 'gateway_status', arguments: {} });
      const listed = (status.structuredContent as { servers: { id: string; state: string }[] }).servers;
      return listed.find((server) => server.id === 'crash')?.state === 'failed';
    });
    const result = await gateway.client.callTool({ name: 'crash__anything', arguments: {} });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /^Tool "crash__anything" is not available: Server "crash" is down and pml gave up restarting it \(for \d+ (ms|s)\)\. Last error: Server "crash" failed to start: exited with code 3; its stderr ends with: fixture: configured to exit at start\. Last restart: \d+ (ms|s) ago \(1 so far\)\. Fix the server \(mcpServers\.crash\) and restart pml\.$/,
    );
    // What a program reads beside the text: the stable code and the kind of failure.
    expect(result._meta?.['dev.pml/error']).toEqual({
      code: 'MCP_SERVER_ERROR',
      type: 'MCPServerError',
      suggestions: [],
    });
    await expectEchoServed(gateway);
  });

  it('says a server that never answers initialize is still starting, and for how long, after startupWaitMs', async () => {
    const result = await gateway.client.callTool({ name: 'slow__anything', arguments: {} });
    expect(result.isError).toBe(true);
    const text = textOf(result);
    expect(text).toMatch(
      /^Tool "slow__anything" is not available: Server "slow" is still starting \(for \d+ (ms|s)\); its tools appear once it is ready\. Try again shortly, or raise gateway\.startupWaitMs or mcpServers\.slow\.connectTimeoutMs\.$/,
    );
    await expectEchoServed(gateway);
  });
});

describe('servers not ready, in search mode', () => {
  let gateway: StdioGateway;
  beforeAll(async () => {
    gateway = await startGateway({ toolsMode: 'search' });
  });
  afterAll(() => closeWithoutOrphans(gateway));

  it('names the slow server as not indexed yet beside the hits, in the text and in structuredContent', async () => {
    const answer = await gateway.client.callTool({
      name: 'search_tools',
      arguments: { query: 'echo a message' },
    });
    const content = answer.structuredContent as {
      hits: { name: string }[];
      notIndexed: { server: string; state: string }[];
      note: string;
    };
    expect(content.hits.map((hit) => hit.name)).toContain('everything__echo');
    expect(content.notIndexed).toContainEqual(expect.objectContaining({ server: 'slow', state: 'starting' }));
    expect(textOf(answer)).toMatch(
      /Not indexed yet, so none of their tools is among the hits: .*slow \(starting for/,
    );
    await expectEchoServed(gateway);
  });

  it('says the slow server is still starting when its tool is called by name', async () => {
    const result = await gateway.client.callTool({ name: 'slow__anything', arguments: {} });
    expect(textOf(result)).toMatch(/Server "slow" is still starting/);
    await expectEchoServed(gateway);
  });
});

describe('pml search', () => {
  const written = writeConfig({
    mcpServers: { everything: everythingServer(), crash: servers.crash },
    search: { embedder: 'none' },
    storage: { enabled: false },
  });
  afterAll(() => rmSync(written.dir, { recursive: true, force: true }));

  it('prints the hits on stdout and names the servers not indexed on stderr', async () => {
    const { stdout, stderr } = await promisify(execFile)(
      NODE,
      [CLI, 'search', 'echo a message', '--config', written.path],
      { cwd: written.dir, env: { ...gatewayEnv(written.dir), PML_LOG_LEVEL: 'error' } },
    );
    expect(stdout).toMatch(/everything__echo/);
    expect(stderr).toMatch(
      /note: Not indexed yet, so none of their tools is among the hits: crash \(failed for/,
    );
  });
});
