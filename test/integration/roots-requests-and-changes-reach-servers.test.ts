// Roots: a server's roots/list during a tool call is answered by the client's roots, and the
// client's notifications/roots/list_changed reaches every downstream server.
import type { Root } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';
import { textOf } from '../helpers/gateway.js';
import {
  createDeferred,
  createToolServer,
  startInProcessGateway,
  textResult,
  type InProcessGateway,
} from '../helpers/in-process.js';

let harness: InProcessGateway | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A server whose show_roots tool asks the client for its roots and returns them as JSON. */
function createRootsServer(onRootsChanged: () => void) {
  const server = createToolServer({
    show_roots: {
      handle: async (_args, _extra, self) => textResult(JSON.stringify((await self.listRoots()).roots)),
    },
  });
  server.setNotificationHandler('notifications/roots/list_changed', onRootsChanged);
  return server;
}

async function start() {
  const changed = { a: createDeferred(), b: createDeferred() };
  harness = await startInProcessGateway({
    servers: { a: () => createRootsServer(changed.a.resolve), b: () => createRootsServer(changed.b.resolve) },
  });
  return changed;
}

async function connectWithRoots(roots: { current: Root[] }) {
  return harness!.connectClient({ roots: { listChanged: true } }, (client) =>
    client.setRequestHandler('roots/list', () => ({ roots: roots.current })),
  );
}

describe('roots', () => {
  it('answers a server roots/list during a tool call with the client roots', async () => {
    await start();
    const roots = { current: [{ uri: 'file:///work/project', name: 'project' }] };
    const client = await connectWithRoots(roots);

    const result = await client.callTool({ name: 'a__show_roots', arguments: {} });

    expect(JSON.parse(textOf(result))).toEqual(roots.current);
  });

  it('asks a client that has roots when the caller has none', async () => {
    await start();
    const roots = { current: [{ uri: 'file:///work/other' }] };
    await connectWithRoots(roots);
    const caller = await harness!.connectClient();

    const result = await caller.callTool({ name: 'b__show_roots', arguments: {} });

    expect(JSON.parse(textOf(result))).toEqual(roots.current);
  });

  it('passes roots/list_changed from the client to every server', async () => {
    const changed = await start();
    const roots = { current: [{ uri: 'file:///work/before' }] };
    const client = await connectWithRoots(roots);

    roots.current = [{ uri: 'file:///work/after' }];
    await client.sendRootsListChanged();
    await Promise.all([changed.a.promise, changed.b.promise]);

    const result = await client.callTool({ name: 'a__show_roots', arguments: {} });
    expect(JSON.parse(textOf(result))).toEqual([{ uri: 'file:///work/after' }]);
  });
});
