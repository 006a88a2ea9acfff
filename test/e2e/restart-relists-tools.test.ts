// A 2025-11-25 server that pml starts again gets its session handed over before its tools are
// listed (calls waiting for it go out at once), and the list is read right after: what changed
// across the restart reaches the client as a list change.
import { afterEach, expect, it } from 'vitest';
import {
  closeAndRemove,
  fixtureServer,
  startStdioGateway,
  textOf,
  waitFor,
  type StdioGateway,
} from '../helpers/gateway.js';

let gateway: StdioGateway | undefined;
afterEach(async () => {
  await closeAndRemove(gateway);
  gateway = undefined;
});

it('lists the tools of a restarted server again, and the client hears of the change', async () => {
  gateway = await startStdioGateway({
    mcpServers: { fixture: fixtureServer() },
    gateway: { restart: { initialDelayMs: 10 } },
    storage: { enabled: false },
  });
  const { client } = gateway;
  let changes = 0;
  client.setNotificationHandler('notifications/tools/list_changed', () => void changes++);
  await client.callTool({ name: 'fixture__add_tool', arguments: { name: 'extra' } });
  await waitFor(async () =>
    (await client.listTools()).tools.some((t) => t.name === 'fixture__extra') ? true : undefined,
  );
  const changesBefore = changes;

  // The new process has only its own tools: `extra` was added to the old one at run time.
  await client.callTool({ name: 'fixture__crash', arguments: { code: 9 } });

  await waitFor(() => changes > changesBefore);
  await waitFor(async () =>
    (await client.listTools()).tools.some((t) => t.name === 'fixture__extra') ? undefined : true,
  );
  expect(textOf(await client.callTool({ name: 'fixture__echo', arguments: { text: 'back' } }))).toBe(
    'Echo: back',
  );
});
