// Tools whose input schema is not valid JSON Schema. Directly the server answers their calls; through
// pml they are listed unchanged and callable (pml skips its own argument check for them and says so
// once in its log), and the gateway serves on. One whose root breaks the MCP schema is left out alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listBareTools,
  openBothWays,
  runBothWays,
  sameServer,
  type BothWays,
} from '../helpers/direct-and-through-pml.js';
import { textOf } from '../helpers/gateway.js';
import { wildFixture } from '../helpers/wild-fixtures.js';

const SLOPPY_TOOLS = ['misspelt_type', 'required_as_string', 'dangling_ref'];
let sloppy: BothWays;
let brokenRoot: BothWays;

beforeAll(async () => {
  [sloppy, brokenRoot] = await Promise.all([
    openBothWays(sameServer('sloppy', wildFixture('invalid-schema'))),
    openBothWays(sameServer('sloppy', wildFixture('invalid-schema', { WILD_BROKEN_ROOT: '1' }))),
  ]);
});

afterAll(async () => {
  await Promise.all([sloppy?.close(), brokenRoot?.close()]);
});

describe('schemas that are not valid JSON Schema below their root', () => {
  it('are listed through pml exactly as the server lists them', async () => {
    const { direct, pml } = await runBothWays(sloppy, (side) => listBareTools(side, 'sloppy'));
    expect(direct.ok && direct.value.map((tool) => tool.name)).toEqual([...SLOPPY_TOOLS, 'plain']);
    expect(pml).toEqual(direct);
  });

  it('do not stop a call: the server judges the arguments, pml says so once, then serves on', async () => {
    const { direct, pml } = await runBothWays(sloppy, async (side) => {
      const answers = [];
      for (const name of SLOPPY_TOOLS)
        for (const text of [42, 'twice'])
          answers.push(await side.client.callTool({ name: side.name(name), arguments: { text } }));
      answers.push(await side.client.callTool({ name: side.name('plain'), arguments: { n: 1 } }));
      return answers;
    });
    expect(direct.ok && direct.value.every((answer) => answer.isError !== true)).toBe(true);
    expect(pml).toEqual(direct);
    const log = sloppy.gateway.stderr();
    for (const name of SLOPPY_TOOLS) {
      const warnings = log
        .split('\n')
        .filter((line) => line.includes(`input schema of sloppy__${name} is not valid`));
      expect(warnings).toHaveLength(1);
    }
  });
});

describe('a schema whose root breaks the MCP schema', () => {
  it('costs the client the whole tools/list directly, yet the tools still answer calls', async () => {
    await expect(brokenRoot.direct.client.listTools()).rejects.toThrow();
    const plain = await brokenRoot.direct.client.callTool({ name: 'plain', arguments: { n: 1 } });
    expect(textOf(plain)).toBe('plain got {"n":1}');
  });

  it('leaves the gateway serving: its status still names the server', async () => {
    const status = await brokenRoot.pml.client.callTool({ name: 'gateway_status', arguments: {} });
    expect(status.isError).not.toBe(true);
    expect(textOf(status)).toMatch(/sloppy/);
  });

  // The SDK refuses a whole tools/list for one bad root: pml reads each tool alone and leaves out
  // only the one a client's SDK would refuse (saying so once), so the others stay reachable.
  it("through pml keeps the server's other tools listed and callable, and names the one left out", async () => {
    const tools = await listBareTools(brokenRoot.pml, 'sloppy');
    expect(tools.map((tool) => tool.name)).toEqual([...SLOPPY_TOOLS, 'plain']);
    const plain = await brokenRoot.pml.client.callTool({ name: 'sloppy__plain', arguments: { n: 1 } });
    expect(textOf(plain)).toBe('plain got {"n":1}');
    const reports = brokenRoot.gateway
      .stderr()
      .split('\n')
      .filter((line) => line.includes('tool "broken_root" is not a valid MCP tool (inputSchema.required:'));
    expect(reports).toHaveLength(1);
  });
});
