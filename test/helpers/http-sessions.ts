// 2025-11-25 sessions over Streamable HTTP for the session lifecycle tests: SDK clients whose
// transport the test keeps (for its session id and its DELETE), sessions spoken by hand with fetch
// (a client that holds no listening stream), and a gateway stop that checks nothing is left behind.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { expect } from 'vitest';
import { textOf, waitFor, type HttpGatewayProcess } from './gateway.js';
import { isAlive, listDescendants } from './processes.js';

const ACCEPT_BOTH = 'application/json, text/event-stream';
type Message = Record<string, unknown>;

export interface SdkSession {
  client: Client;
  transport: StreamableHTTPClientTransport;
  sessionId: string;
}

/** An SDK client on a session of its own; `closeAll` closes every one it made. */
export function createSdkSessions(url: () => string) {
  const made: Client[] = [];
  return {
    async connect(): Promise<SdkSession> {
      const transport = new StreamableHTTPClientTransport(new URL(url()));
      const client = new Client({ name: 'sessions-test', version: '1.0.0' }, { capabilities: {} });
      made.push(client);
      await client.connect(transport);
      return { client, transport, sessionId: transport.sessionId! };
    },
    closeAll: () => Promise.all(made.splice(0).map((client) => client.close().catch(() => {}))),
  };
}

export function postMcp(url: string, message: Message, sessionId?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: ACCEPT_BOTH,
      ...(sessionId ? { 'mcp-session-id': sessionId } : {}),
    },
    body: JSON.stringify(message),
  });
}

export function toolCall(id: number, name: string, args: Message = {}, meta?: Message): Message {
  return {
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name, arguments: args, ...(meta ? { _meta: meta } : {}) },
  };
}

/** A session opened by hand: initialize, then the initialized notification. Returns its id. */
export async function openRawSession(url: string): Promise<string> {
  const initialized = await postMcp(url, {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
  });
  expect(initialized.status).toBe(200);
  const sessionId = initialized.headers.get('mcp-session-id')!;
  await initialized.text();
  const notified = await postMcp(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, sessionId);
  expect(notified.status).toBe(202);
  return sessionId;
}

/** The session's listening stream (GET); resolves once its headers have arrived. */
export function openGetStream(url: string, sessionId: string, signal?: AbortSignal): Promise<Response> {
  return fetch(url, { headers: { accept: 'text/event-stream', 'mcp-session-id': sessionId }, signal });
}

export function deleteSession(url: string, sessionId: string): Promise<Response> {
  return fetch(url, { method: 'DELETE', headers: { 'mcp-session-id': sessionId } });
}

/** What the fixture server holds: the URIs subscribed now, and the unsubscribes it received. */
export async function readSubscriptions(
  client: Client,
): Promise<{ subscribed: string[]; unsubscribes: number }> {
  return JSON.parse(textOf(await client.callTool({ name: 'fixture__subscriptions', arguments: {} }))) as {
    subscribed: string[];
    unsubscribes: number;
  };
}

/** Stops pml, waits until none of its child processes is left, and removes its temp folder. */
export async function stopGateway(gateway: HttpGatewayProcess | undefined): Promise<void> {
  if (!gateway) return;
  const children = listDescendants(gateway.child.pid!);
  await gateway.stop();
  await waitFor(() => children.every((pid) => !isAlive(pid)));
  const args = gateway.child.spawnargs;
  rmSync(dirname(args[args.indexOf('--config') + 1]!), { recursive: true, force: true });
}
