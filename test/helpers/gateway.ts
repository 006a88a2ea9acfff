// Starts the built `pml serve` as a child process and connects a real SDK client to it, over stdio
// or Streamable HTTP, with a config written to a temp dir.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { ClientOptions } from '@modelcontextprotocol/client';
import { CLI, EVERYTHING_SERVER, FIXTURE_SERVER, NODE } from './paths.js';
import { isAlive } from './processes.js';

export type ServerEntry = Record<string, unknown>;

export function fixtureServer(
  extra: { env?: Record<string, string>; [key: string]: unknown } = {},
): ServerEntry {
  return { command: NODE, args: [FIXTURE_SERVER], ...extra };
}

export function everythingServer(): ServerEntry {
  return { command: NODE, args: [EVERYTHING_SERVER] };
}

export function writeConfig(config: Record<string, unknown>): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pml-test-'));
  const path = join(dir, 'pml.config.json');
  writeFileSync(path, JSON.stringify(config, null, 2));
  return { dir, path };
}

export function gatewayEnv(dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    PML_DATA_DIR: join(dir, 'data'),
    PML_LOG_LEVEL: 'debug',
    ...extra,
  };
}

export interface StdioGateway {
  client: Client;
  /** The temp folder of its config (also its cwd and HOME); a test that wants no leftovers removes it after close. */
  dir: string;
  transport: StdioClientTransport;
  stderr: () => string;
  pid: number;
  close(): Promise<void>;
}

export async function startStdioGateway(
  config: Record<string, unknown>,
  options: {
    clientOptions?: ClientOptions;
    setup?: (client: Client) => void;
    env?: Record<string, string>;
  } = {},
): Promise<StdioGateway> {
  const { dir, path } = writeConfig(config);
  const transport = new StdioClientTransport({
    command: NODE,
    args: [CLI, 'serve', '--config', path],
    env: gatewayEnv(dir, options.env),
    cwd: dir,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client(
    { name: 'pml-test', version: '1.0.0' },
    options.clientOptions ?? { capabilities: {} },
  );
  options.setup?.(client);
  await client.connect(transport);
  return {
    client,
    dir,
    transport,
    stderr: () => stderr,
    pid: transport.pid!,
    close: () => client.close(),
  };
}

export interface HttpGatewayProcess {
  url: string;
  child: ChildProcess;
  stderr: () => string;
  connect(options?: { token?: string; clientOptions?: ClientOptions }): Promise<Client>;
  stop(): Promise<void>;
}

export async function startHttpGatewayProcess(
  config: Record<string, unknown>,
  extraArgs: string[] = [],
  extraEnv: Record<string, string> = {},
): Promise<HttpGatewayProcess> {
  const { dir, path } = writeConfig(config);
  const child = spawn(NODE, [CLI, 'serve', '--http', '--port', '0', '--config', path, ...extraArgs], {
    env: gatewayEnv(dir, extraEnv),
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start listening:\n${stderr}`)), 15_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}:\n${stderr}`)));
  });
  const clients: Client[] = [];
  return {
    url,
    child,
    stderr: () => stderr,
    connect: async (options = {}) => {
      const headers: Record<string, string> = options.token
        ? { authorization: `Bearer ${options.token}` }
        : {};
      const client = new Client(
        { name: 'pml-test-http', version: '1.0.0' },
        options.clientOptions ?? { capabilities: {} },
      );
      await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
      clients.push(client);
      return client;
    },
    stop: async () => {
      await Promise.all(clients.map((client) => client.close().catch(() => {})));
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/**
 * Closes a stdio gateway, waits for its process to be gone (it writes its last stats on the way
 * out) and removes its temp folder: for tests that leave nothing behind.
 */
export async function closeAndRemove(gateway: StdioGateway | undefined): Promise<void> {
  if (!gateway) return;
  await gateway.close();
  await waitFor(() => !isAlive(gateway.pid));
  rmSync(gateway.dir, { recursive: true, force: true });
}

export function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((item) => item.text ?? '').join('\n');
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
