// The official MCP conformance suite, run from tests: start our conformance fixture
// (test/fixtures/conformance-server.mjs) in either protocol era, point the suite at a URL (the
// fixture itself, or pml in front of it), and read back which scenarios and checks failed.
//
// The suite lives in tools/conformance with the Node 22 it needs (`node
// scripts/install-conformance-runner.mjs` installs both), apart from pml's own dependencies. Each
// run gets a fresh temp directory as its cwd and writes one `checks.json` per scenario there.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE, ROOT } from './paths.js';

export type Era = 'legacy' | 'modern';
/** The requirement sets the suite knows; each also fixes the wire its scenarios speak. */
export type Requirements = '2025-11-25' | '2026-07-28';

/** The era whose fixture a requirement set is meant for. */
export const ERA_OF: Record<Requirements, Era> = { '2025-11-25': 'legacy', '2026-07-28': 'modern' };

export const CONFORMANCE_FIXTURE = join(ROOT, 'test', 'fixtures', 'conformance-server.mjs');
const SUITE_MODULES = join(ROOT, 'tools', 'conformance', 'node_modules');
const SUITE_NODE = join(SUITE_MODULES, '.bin', 'node');
const SUITE_CLI = join(SUITE_MODULES, '@modelcontextprotocol', 'conformance', 'dist', 'index.js');

// ---------------------------------------------------------------------------------------------
// The fixture.

export interface ConformanceFixture {
  url: string;
  pid: number;
  /** Everything the fixture wrote to stderr so far. */
  stderr(): string;
  close(): Promise<void>;
}

/** How to launch the fixture over stdio, e.g. as a downstream server in a pml config. */
export function conformanceFixtureCommand(
  era: Era,
  options: { omitResultType?: boolean } = {},
): { command: string; args: string[] } {
  const args = [CONFORMANCE_FIXTURE, '--era', era, '--transport', 'stdio'];
  return { command: NODE, args: options.omitResultType ? [...args, '--omit-result-type'] : args };
}

/**
 * Starts the fixture over Streamable HTTP on a free port and resolves once it says it is listening.
 * Its stdin is a pipe from us, so it also exits if this process dies without closing it.
 */
export async function startConformanceFixture(options: {
  era: Era;
  transport: 'http';
  port?: number;
}): Promise<ConformanceFixture> {
  const child = spawn(
    NODE,
    [CONFORMANCE_FIXTURE, '--era', options.era, '--transport', 'http', '--port', String(options.port ?? 0)],
    { cwd: ROOT, stdio: ['pipe', 'ignore', 'pipe'] },
  );
  let stderr = '';
  const exited = once(child, 'exit');
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /^listening (http:\/\/\S+)$/m.exec(stderr);
      if (match?.[1]) {
        child.stderr.off('data', onData);
        child.stderr.on('data', (more: Buffer) => (stderr += more.toString()));
        resolve(match[1]);
      }
    };
    child.stderr.on('data', onData);
    void exited.then(([code, signal]) =>
      reject(new Error(`conformance fixture exited (${code ?? signal}) before listening:\n${stderr}`)),
    );
    child.once('error', reject);
  });
  return {
    url,
    pid: child.pid!,
    stderr: () => stderr,
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The suite.

export interface FailedCheck {
  /** The check's id in the suite, e.g. `sep-2322-reject-tampered-state`. */
  id: string;
  name: string;
  message: string;
}

export interface ScenarioOutcome {
  scenario: string;
  /** Ran, no check failed, and at least one check succeeded (a scenario that checked nothing did not pass). */
  passed: boolean;
  succeeded: number;
  failures: FailedCheck[];
  warnings: FailedCheck[];
}

export interface SuiteRun {
  url: string;
  requirements: Requirements;
  /** One outcome per scored scenario of the requirement set (or of those in `scenarios`). */
  scored: ScenarioOutcome[];
  /** Scenarios the suite runs and reports without scoring: extensions, pending, added after release. */
  unscored: ScenarioOutcome[];
  /** The suite's exit status: 0 when no scored scenario failed. */
  exitCode: number | null;
  /** The suite's stdout and stderr, for when the checks alone do not explain a failure. */
  output: string;
}

interface SuiteCheck {
  id: string;
  name: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | 'SKIPPED';
  description?: string;
  errorMessage?: string;
}

const requirementLists = new Map<Requirements, Promise<{ scored: string[]; unscored: string[] }>>();

/** The server scenarios a requirement set scores, per `conformance list --requirements`. */
export async function scoredServerScenarios(requirements: Requirements): Promise<string[]> {
  return (await serverScenarioLists(requirements)).scored;
}

function serverScenarioLists(requirements: Requirements): Promise<{ scored: string[]; unscored: string[] }> {
  let lists = requirementLists.get(requirements);
  if (!lists) {
    lists = (async () => {
      const cwd = await mkdtemp(join(tmpdir(), 'pml-conformance-'));
      try {
        const { exitCode, output } = await runSuiteCli(['list', '--requirements', requirements], cwd);
        if (exitCode !== 0)
          throw new Error(`conformance list --requirements ${requirements} failed:\n${output}`);
        return parseRequirementList(output);
      } finally {
        await rm(cwd, { recursive: true, force: true });
      }
    })();
    requirementLists.set(requirements, lists);
  }
  return lists;
}

/**
 * The list prints the scored server scenarios as `  - name` under "Server scenarios", and the
 * unscored ones as `    - name [server]` under "Run and reported, but never scored".
 */
function parseRequirementList(output: string): { scored: string[]; unscored: string[] } {
  const scored: string[] = [];
  const unscored: string[] = [];
  let section: 'server' | 'other' | 'unscored' = 'other';
  for (const line of output.split('\n')) {
    if (line.startsWith('Server scenarios')) section = 'server';
    else if (line.startsWith('Run and reported, but never scored')) section = 'unscored';
    else if (/^\S/.test(line)) section = 'other';
    const item = /^\s+- (\S+)(?: \[(\w+)\])?$/.exec(line);
    if (!item?.[1]) continue;
    if (section === 'server') scored.push(item[1]);
    if (section === 'unscored' && item[2] === 'server') unscored.push(item[1]);
  }
  if (scored.length === 0) throw new Error(`no server scenarios found in the suite's list:\n${output}`);
  return { scored, unscored };
}

/**
 * Runs the suite's server scenarios against `url` at `requirements`' wire and collects every
 * scenario's checks. Without `scenarios`, the whole requirement set runs (as `conformance server
 * --requirements` does); with them, just those, one after another.
 */
export async function runConformanceSuite(options: {
  url: string;
  requirements: Requirements;
  scenarios?: string[];
}): Promise<SuiteRun> {
  const { url, requirements } = options;
  const lists = await serverScenarioLists(requirements);
  const cwd = await mkdtemp(join(tmpdir(), 'pml-conformance-'));
  const resultsDir = join(cwd, 'results');
  try {
    let exitCode: number | null = 0;
    let output = '';
    if (options.scenarios === undefined) {
      ({ exitCode, output } = await runSuiteCli(
        ['server', '--url', url, '--requirements', requirements, '--output-dir', resultsDir],
        cwd,
      ));
    } else {
      // --requirements cannot be combined with --scenario; --spec-version picks the same wire, and
      // --force runs a scenario at it even outside its window, as a requirement-set run does.
      for (const scenario of options.scenarios) {
        const one = await runSuiteCli(
          [
            'server',
            '--url',
            url,
            '--scenario',
            scenario,
            '--spec-version',
            requirements,
            '--force',
            '--output-dir',
            resultsDir,
          ],
          cwd,
        );
        output += one.output;
        if (one.exitCode !== 0) exitCode = one.exitCode;
      }
    }
    const results = await readResults(resultsDir);
    const outcome = (scenario: string): ScenarioOutcome =>
      summarise(scenario, results.get(scenario)) ?? {
        scenario,
        passed: false,
        succeeded: 0,
        failures: [
          {
            id: 'no-result',
            name: 'NoResult',
            message:
              'the suite wrote no checks.json for this scenario (it did not run, or crashed): see the output',
          },
        ],
        warnings: [],
      };
    // Every scenario asked for (or, without `scenarios`, every one the set names) gets an outcome,
    // so one that did not run shows up as failed instead of missing.
    const requested = options.scenarios ?? [...lists.scored, ...lists.unscored];
    const scored = requested.filter((scenario) => lists.scored.includes(scenario));
    const unscored = [
      ...new Set([
        ...requested.filter((scenario) => !lists.scored.includes(scenario)),
        ...[...results.keys()].filter((scenario) => !lists.scored.includes(scenario)),
      ]),
    ];
    return {
      url,
      requirements,
      scored: scored.map(outcome),
      unscored: unscored.map(outcome),
      exitCode,
      output,
    };
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}

/** Result folders are named `server-<scenario>-<ISO timestamp with ':' and '.' as '-'>`. */
async function readResults(resultsDir: string): Promise<Map<string, SuiteCheck[]>> {
  const results = new Map<string, SuiteCheck[]>();
  if (!existsSync(resultsDir)) return results;
  for (const entry of (await readdir(resultsDir)).sort()) {
    const scenario = /^server-(.+)-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/.exec(entry)?.[1];
    const file = join(resultsDir, entry, 'checks.json');
    if (scenario === undefined || !existsSync(file)) continue;
    results.set(scenario, JSON.parse(await readFile(file, 'utf8')) as SuiteCheck[]);
  }
  return results;
}

function summarise(scenario: string, checks: SuiteCheck[] | undefined): ScenarioOutcome | undefined {
  if (checks === undefined) return undefined;
  const describe = (check: SuiteCheck): FailedCheck => ({
    id: check.id,
    name: check.name,
    message: check.errorMessage ?? check.description ?? '(no message)',
  });
  const failures = checks.filter((check) => check.status === 'FAILURE').map(describe);
  const succeeded = checks.filter((check) => check.status === 'SUCCESS').length;
  return {
    scenario,
    passed: failures.length === 0 && succeeded > 0,
    succeeded,
    failures,
    warnings: checks.filter((check) => check.status === 'WARNING').map(describe),
  };
}

/**
 * One line per failing check of every scenario that did not pass, `scenario: check-id: message`:
 * an empty list means everything passed, and a test asserting it is empty says what broke.
 */
export function failingChecks(outcomes: ScenarioOutcome[]): string[] {
  return outcomes
    .filter((outcome) => !outcome.passed)
    .flatMap((outcome) =>
      outcome.failures.length > 0
        ? outcome.failures.map((failure) => `${outcome.scenario}: ${failure.id}: ${failure.message}`)
        : [`${outcome.scenario}: no check succeeded (${outcome.succeeded} succeeded, none failed)`],
    );
}

async function runSuiteCli(
  args: string[],
  cwd: string,
): Promise<{ exitCode: number | null; output: string }> {
  if (!existsSync(SUITE_NODE) || !existsSync(SUITE_CLI)) {
    throw new Error(
      'The MCP conformance suite is not installed in tools/conformance: run `node scripts/install-conformance-runner.mjs`.',
    );
  }
  // A minimal environment: the suite runs on its own Node 22, and vitest's NODE_OPTIONS and the
  // like are not meant for it.
  const child = spawn(SUITE_NODE, [SUITE_CLI, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, TMPDIR: tmpdir(), NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [exitCode] = (await once(child, 'close')) as [number | null];
  return { exitCode, output };
}
