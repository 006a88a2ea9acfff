// A server with 5,000 tools, listed in one page and in pages of 100 joined by nextCursor: through pml
// a client lists all 5,000 (the same definitions), and a call to the last one works.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listBareTools,
  openBothWays,
  runBothWays,
  sameServer,
  type BothWays,
} from '../helpers/direct-and-through-pml.js';
import { wildFixture } from '../helpers/wild-fixtures.js';

const COUNT = 5000;
const LAST = `tool_${COUNT - 1}`;
let onePage: BothWays;
let paged: BothWays;

beforeAll(async () => {
  [onePage, paged] = await Promise.all([
    openBothWays(sameServer('many', wildFixture('many-tools', { WILD_TOOL_COUNT: String(COUNT) }))),
    openBothWays(
      sameServer(
        'many',
        wildFixture('many-tools', { WILD_TOOL_COUNT: String(COUNT), WILD_PAGE_SIZE: '100' }),
      ),
    ),
  ]);
});

afterAll(async () => {
  await Promise.all([onePage?.close(), paged?.close()]);
});

describe.each([
  ['in one page', () => onePage],
  ['in pages of 100', () => paged],
])('5,000 tools %s', (_label, both) => {
  it('are all listed through pml, as they are directly, and the last one answers', async () => {
    const { direct, pml } = await runBothWays(both(), async (side) => ({
      tools: await listBareTools(side, 'many'),
      last: await side.client.callTool({ name: side.name(LAST), arguments: { value: 'end' } }),
    }));
    if (!direct.ok || !pml.ok) throw new Error(JSON.stringify({ direct, pml }).slice(0, 2000));
    expect(direct.value.tools).toHaveLength(COUNT);
    expect(pml.value.tools).toEqual(direct.value.tools);
    expect(pml.value.last).toEqual(direct.value.last);
    expect(pml.value.last.content).toEqual([{ type: 'text', text: `${LAST} got end` }]);
  });
});
