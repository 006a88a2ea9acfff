// Resource subscriptions are per client: an update from a server reaches the clients that
// subscribed to its URI and no other, and stops once the client unsubscribes.
import { Server } from '@modelcontextprotocol/server';
import type { ServerNotification } from '@modelcontextprotocol/server';
import type { Client } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/gateway.js';
import { startInProcessGateway, type InProcessGateway } from '../helpers/in-process.js';

const NOTES = 'mem://notes';
const OTHER = 'mem://other';

/** A resource server that, like real ones, keeps the set of URIs it was asked to watch. */
function createResourceServer(subscribed: Set<string>): Server {
  const server = new Server(
    { name: 'resources', version: '1.0.0' },
    { capabilities: { resources: { subscribe: true, listChanged: true } } },
  );
  server.setRequestHandler('resources/list', () => ({
    resources: [NOTES, OTHER].map((uri) => ({ uri, name: uri })),
  }));
  server.setRequestHandler('resources/read', (request) => ({
    contents: [{ uri: request.params.uri, text: 'hello' }],
  }));
  server.setRequestHandler('resources/subscribe', (request) => {
    subscribed.add(request.params.uri);
    return {};
  });
  server.setRequestHandler('resources/unsubscribe', (request) => {
    subscribed.delete(request.params.uri);
    return {};
  });
  return server;
}

interface Watched {
  client: Client;
  updates: string[];
  markers: number;
}

let harness: InProcessGateway | undefined;
const subscribed = new Set<string>();

afterEach(async () => {
  await harness?.close();
  harness = undefined;
  subscribed.clear();
});

async function start(): Promise<void> {
  harness = await startInProcessGateway({ servers: { a: () => createResourceServer(subscribed) } });
}

async function connectWatched(): Promise<Watched> {
  const seen = { updates: [] as string[], markers: 0 };
  const client = await harness!.connectClient({}, (candidate) => {
    candidate.fallbackNotificationHandler = async (notification) => {
      const { method, params } = notification as ServerNotification;
      if (method === 'notifications/resources/updated') seen.updates.push(params.uri);
      if (method === 'notifications/resources/list_changed') seen.markers++;
    };
  });
  return Object.assign(seen, { client });
}

function liveServer(): Server {
  return harness!.serversMade('a').at(-1) as Server;
}

/**
 * Sends updates for `uris`, then a list_changed every client gets. Notifications keep their order
 * on the way, so once each client has its marker, any update meant for it has arrived too.
 */
async function sendUpdates(uris: string[], clients: Watched[]): Promise<void> {
  const expected = clients.map((watched) => watched.markers + 1);
  for (const uri of uris) await liveServer().sendResourceUpdated({ uri });
  await liveServer().sendResourceListChanged();
  await waitFor(() => clients.every((watched, index) => watched.markers >= expected[index]!));
}

describe('resource subscriptions', () => {
  it('delivers an update only to the client that subscribed to its URI', async () => {
    await start();
    const subscriber = await connectWatched();
    const bystander = await connectWatched();

    await subscriber.client.subscribeResource({ uri: NOTES });
    expect([...subscribed]).toEqual([NOTES]);
    await sendUpdates([NOTES, OTHER], [subscriber, bystander]);

    expect(subscriber.updates).toEqual([NOTES]);
    expect(bystander.updates).toEqual([]);
  });

  it('stops the updates once the client unsubscribes', async () => {
    await start();
    const subscriber = await connectWatched();
    await subscriber.client.subscribeResource({ uri: NOTES });
    await sendUpdates([NOTES], [subscriber]);

    await subscriber.client.unsubscribeResource({ uri: NOTES });
    await sendUpdates([NOTES], [subscriber]);

    expect(subscriber.updates).toEqual([NOTES]);
    expect([...subscribed]).toEqual([]);
  });

  it('keeps the server subscription while another client still subscribes', async () => {
    await start();
    const leaving = await connectWatched();
    const staying = await connectWatched();
    await leaving.client.subscribeResource({ uri: NOTES });
    await staying.client.subscribeResource({ uri: NOTES });

    await leaving.client.unsubscribeResource({ uri: NOTES });

    // A server sends updates only for URIs it watches: told to stop, it leaves `staying` without any.
    expect([...subscribed]).toEqual([NOTES]);
  });

  it('subscribes the restarted server again to what clients still watch', async () => {
    harness = await startInProcessGateway({
      servers: { a: () => createResourceServer(subscribed) },
      gateway: { restart: { initialDelayMs: 10 } },
    });
    const subscriber = await connectWatched();
    await subscriber.client.subscribeResource({ uri: NOTES });
    subscribed.clear();

    await liveServer().close();
    await waitFor(
      () =>
        harness!.gateway.core.toHealth().servers[0]?.state === 'ready' && harness!.transportsMade('a') === 2,
    );

    await waitFor(() => subscribed.has(NOTES), 2_000);
  });
});
