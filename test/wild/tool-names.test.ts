// Tool names servers should not have chosen: one name listed twice by a server, one name on two
// servers, and names with dots, spaces, slashes, accents or past 128 characters. Through pml every
// exposed name is spec-valid and unique, and a call through it reaches the tool a direct call reaches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listBareTools,
  listEveryTool,
  openBothWays,
  runBothWays,
  sameServer,
  type BothWays,
} from '../helpers/direct-and-through-pml.js';
import { textOf } from '../helpers/gateway.js';
import { wildFixture } from '../helpers/wild-fixtures.js';

const SPEC_NAME = /^[A-Za-z0-9_.-]{1,128}$/;
let duplicates: BothWays;
let twoServers: BothWays;
let odd: BothWays;

beforeAll(async () => {
  [duplicates, twoServers, odd] = await Promise.all([
    openBothWays(sameServer('dup', wildFixture('duplicate-tools', { WILD_NAME: 'dup' }))),
    openBothWays(
      {
        left: {
          direct: wildFixture('duplicate-tools', { WILD_NAME: 'left' }),
          pml: wildFixture('duplicate-tools', { WILD_NAME: 'left' }),
        },
        right: {
          direct: wildFixture('duplicate-tools', { WILD_NAME: 'right' }),
          pml: wildFixture('duplicate-tools', { WILD_NAME: 'right' }),
        },
      },
      { pmlConfig: { gateway: { toolPrefix: 'on-collision' } } },
    ),
    openBothWays(sameServer('odd', wildFixture('odd-names'))),
  ]);
});

afterAll(async () => {
  await Promise.all([duplicates?.close(), twoServers?.close(), odd?.close()]);
});

describe('a server that lists one name twice', () => {
  it('is listed once through pml, with the first definition, and answers the same calls', async () => {
    const { direct, pml } = await runBothWays(duplicates, async (side) => ({
      tools: await listBareTools(side, 'dup'),
      echo: await side.client.callTool({ name: side.name('echo'), arguments: { text: 'x' } }),
      whoami: await side.client.callTool({ name: side.name('whoami'), arguments: {} }),
    }));
    if (!direct.ok || !pml.ok) throw new Error(JSON.stringify({ direct, pml }));
    expect(direct.value.tools.map((tool) => tool.name)).toEqual(['echo', 'echo', 'whoami']);
    // By design: a second entry would promise a tool no call can reach (the server picks by name).
    const firstOfEach = direct.value.tools.filter(
      (tool, index, all) => all.findIndex((t) => t.name === tool.name) === index,
    );
    expect(pml.value.tools).toEqual(firstOfEach);
    // …and no second name for it anywhere in the list, prefixed or not.
    const everyName = (await listEveryTool(duplicates.pml.client)).map((tool) => tool.name);
    expect(everyName.filter((name) => name.includes('echo'))).toEqual(['dup__echo']);
    expect(pml.value.echo).toEqual(direct.value.echo);
    expect(textOf(pml.value.whoami)).toBe('dup: Names the server. {}');
    // Said once in pml's log, however often the catalog is rebuilt.
    const told = duplicates.gateway.stderr().match(/server "dup" lists the tool "echo" twice/g) ?? [];
    expect(told).toHaveLength(1);
  });
});

describe('one tool name on two servers', () => {
  it.each(['left', 'right'])(
    'reaches %s through its prefixed name, as a direct call does',
    async (serverId) => {
      const { direct, pml } = await runBothWays(twoServers.pair(serverId), async (side) => ({
        tools: await listBareTools(side, serverId),
        echo: await side.client.callTool({ name: side.name('echo'), arguments: { text: serverId } }),
      }));
      if (!direct.ok || !pml.ok) throw new Error(JSON.stringify({ direct, pml }));
      expect(pml.value.tools.map((tool) => tool.name)).toEqual(['echo', 'whoami']);
      expect(pml.value.echo).toEqual(direct.value.echo);
      expect(textOf(pml.value.echo)).toMatch(new RegExp(`^${serverId}: The first echo`));
    },
  );
});

describe('names with dots, spaces and other characters', () => {
  it('exposes spec-valid unique names, and each reaches the tool a direct call reaches', async () => {
    const directTools = await listEveryTool(odd.direct.client);
    const exposed = (await listEveryTool(odd.pml.client)).filter((tool) => tool.name.startsWith('odd__'));
    expect(exposed).toHaveLength(directTools.length);
    expect(exposed.every((tool) => SPEC_NAME.test(tool.name))).toBe(true);
    expect(new Set(exposed.map((tool) => tool.name)).size).toBe(exposed.length);
    // A valid name keeps itself (after the prefix); the cleaned-up `read file` is the one that moves.
    expect(exposed.map((tool) => tool.name)).toEqual(
      expect.arrayContaining(['odd__files.read', 'odd__read_file', 'odd__read_file_2', 'odd__fetch_url']),
    );
    for (const [index, tool] of directTools.entries()) {
      // The definition is the server's apart from the name: pair them by position.
      expect({ ...exposed[index]!, name: tool.name }).toEqual(tool);
      const viaPml = await odd.pml.client.callTool({ name: exposed[index]!.name, arguments: {} });
      const straight = await odd.direct.client.callTool({ name: tool.name, arguments: {} });
      expect(viaPml).toEqual(straight);
      expect(textOf(straight)).toBe(`reached ${tool.name}`);
    }
  });
});
