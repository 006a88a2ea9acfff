// The official MCP conformance suite, pointed straight at our conformance fixture: the legacy
// fixture must pass every server scenario that 2025-11-25 scores, the modern one every scenario
// that 2026-07-28 scores. Only then does the same suite, pointed at pml in front of the fixture,
// say something about pml.
//
// By hand, from the repository root (the suite runs on the Node 22 that
// scripts/install-conformance-runner.mjs installs next to it in tools/conformance):
//
//   node test/fixtures/conformance-server.mjs --era legacy --port 3001 &
//   tools/conformance/node_modules/.bin/node tools/conformance/node_modules/.bin/conformance server \
//     --url http://127.0.0.1:3001/mcp --requirements 2025-11-25 --output-dir "$(mktemp -d)/results"
//
// and the same with `--era modern` and `--requirements 2026-07-28`. `conformance list --requirements
// <revision>` names the scored scenarios; with --output-dir each scenario's checks are written to
// <dir>/server-<scenario>-<time>/checks.json (without it, only the printed summary).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ERA_OF,
  failingChecks,
  runConformanceSuite,
  scoredServerScenarios,
  startConformanceFixture,
  type ConformanceFixture,
  type Requirements,
} from '../helpers/conformance-suite.js';

const SUITE_TIMEOUT = 300_000;

describe.each<Requirements>(['2025-11-25', '2026-07-28'])('the %s requirement set', (requirements) => {
  const era = ERA_OF[requirements];
  let fixture: ConformanceFixture;
  beforeAll(async () => {
    fixture = await startConformanceFixture({ era, transport: 'http' });
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it(
    `passes every scored server scenario against the ${era} fixture`,
    async () => {
      const expected = await scoredServerScenarios(requirements);
      const run = await runConformanceSuite({ url: fixture.url, requirements });

      // Every scored scenario has an outcome, none missing or extra...
      expect(run.scored.map((outcome) => outcome.scenario)).toEqual(expected);
      // ...and every one of them passed; a failure names the scenario, the check and its message.
      const stderrTail = fixture.stderr().split('\n').slice(-30).join('\n');
      expect(failingChecks(run.scored), `failing checks; the fixture's stderr ends:\n${stderrTail}`).toEqual(
        [],
      );
      // The suite agrees (it exits 1 when a scored scenario fails).
      expect(run.exitCode, run.output).toBe(0);
    },
    SUITE_TIMEOUT,
  );
});
