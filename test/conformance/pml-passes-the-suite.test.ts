// The official MCP conformance suite pointed at pml over Streamable HTTP, with our conformance
// fixture behind it as a stdio downstream server (tools unprefixed, so the suite finds the names its
// scenarios call). Six runs: each requirement set against pml fronting the fixture in each era, and
// the 2026-07-28 fixture without `resultType`.
// Across eras pml bridges: a 2025-11-25 fixture's pushed sampling/elicitation/roots requests become
// input_required rounds for the 2026-07-28 suite, and a 2026-07-28 fixture's input_required rounds
// become pushed requests for the 2025-11-25 suite.
//
// By hand: write a pml.config.json with
//   {"mcpServers": {"c": {"command": "node", "args": ["test/fixtures/conformance-server.mjs",
//     "--era", "legacy", "--transport", "stdio"], "toolPrefix": "never"}}}
// run `node dist/cli/main.js serve --http --port 3000 --config pml.config.json`, then
//   tools/conformance/node_modules/.bin/node tools/conformance/node_modules/.bin/conformance server \
//     --url http://127.0.0.1:3000/mcp --requirements 2026-07-28
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  conformanceFixtureCommand,
  failingChecks,
  runConformanceSuite,
  scoredServerScenarios,
  type Era,
  type Requirements,
} from '../helpers/conformance-suite.js';
import { startHttpGatewayProcess, type HttpGatewayProcess } from '../helpers/gateway.js';

const SUITE_TIMEOUT = 300_000;

// The third fixture speaks 2026-07-28 but leaves `resultType` out of its results, as servers on the
// 1.x SDK with a server/discover handler do: pml takes such a result as complete.
const FIXTURES: { name: string; era: Era; omitResultType: boolean }[] = [
  { name: 'legacy', era: 'legacy', omitResultType: false },
  { name: 'modern', era: 'modern', omitResultType: false },
  { name: 'modern (no resultType)', era: 'modern', omitResultType: true },
];

describe.each(FIXTURES)('pml in front of the $name fixture', ({ era, omitResultType }) => {
  let gateway: HttpGatewayProcess;
  beforeAll(async () => {
    gateway = await startHttpGatewayProcess({
      mcpServers: {
        conformance: { ...conformanceFixtureCommand(era, { omitResultType }), toolPrefix: 'never' },
      },
      storage: { enabled: false },
    });
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  it.each<Requirements>(['2025-11-25', '2026-07-28'])(
    'passes every server scenario that %s scores',
    async (requirements) => {
      const expected = await scoredServerScenarios(requirements);
      const run = await runConformanceSuite({ url: gateway.url, requirements });

      expect(run.scored.map((outcome) => outcome.scenario)).toEqual(expected);
      const stderrTail = gateway.stderr().split('\n').slice(-40).join('\n');
      expect(failingChecks(run.scored), `failing checks; pml's stderr ends:\n${stderrTail}`).toEqual([]);
      expect(run.exitCode, run.output).toBe(0);
    },
    SUITE_TIMEOUT,
  );
});
