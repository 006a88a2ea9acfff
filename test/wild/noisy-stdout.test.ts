// A server that writes a banner and log lines to stdout between its JSON-RPC answers: directly the
// SDK client skips them; through pml the same calls get the same answers, and the gateway serves on.
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  listBareTools,
  openBothWays,
  runBothWays,
  sameServer,
  type BothWays,
} from '../helpers/direct-and-through-pml.js';
import { wildFixture } from '../helpers/wild-fixtures.js';

let both: BothWays;

beforeAll(async () => {
  both = await openBothWays(sameServer('noisy', wildFixture('noisy-stdout')));
});

afterAll(async () => {
  await both?.close();
});

it('lists the same tools despite the banner', async () => {
  const { direct, pml } = await runBothWays(both, (side) => listBareTools(side, 'noisy'));
  expect(direct.ok && direct.value.map((tool) => tool.name)).toEqual(['echo']);
  expect(pml).toEqual(direct);
});

it('answers calls the same way with log lines between the answers, and serves on', async () => {
  const { direct, pml } = await runBothWays(both, async (side) => {
    const answers = [];
    for (const text of ['one', 'two', 'three'])
      answers.push(await side.client.callTool({ name: side.name('echo'), arguments: { text } }));
    return answers;
  });
  expect(direct.ok && direct.value.length).toBe(3);
  expect(pml).toEqual(direct);
  expect(both.gateway.stderr()).toMatch(/not JSON-RPC/);
});
