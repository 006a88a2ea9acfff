// The `pml` command as a user runs it: tools, call, doctor, help, and the messages for bad config.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openStorage } from '../../src/storage/index.js';
import { fixtureServer, gatewayEnv, writeConfig } from '../helpers/gateway.js';
import { CLI, NODE } from '../helpers/paths.js';

const run = promisify(execFile);

async function pml(args: string[], options: { cwd?: string; config?: Record<string, unknown> } = {}) {
  const written = options.config ? writeConfig(options.config) : undefined;
  const cwd = options.cwd ?? written?.dir ?? mkdtempSync(join(tmpdir(), 'pml-cli-'));
  const configArgs = written ? ['--config', written.path] : [];
  try {
    const { stdout, stderr } = await run(NODE, [CLI, ...args, ...configArgs], {
      cwd,
      env: { ...gatewayEnv(cwd), PML_LOG_LEVEL: 'warn' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('pml CLI', () => {
  it('lists the embedded default servers tools with no config file', async () => {
    const result = await pml(['tools', '--json']);
    expect(result.code).toBe(0);
    const names = (JSON.parse(result.stdout) as { name: string }[]).map((tool) => tool.name);
    expect(names).toEqual(
      expect.arrayContaining(['gateway_status', 'filesystem__read_text_file', 'memory__create_entities']),
    );
  });

  it('calls a tool and prints its text', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'pml-cli-'));
    writeFileSync(join(cwd, 'hello.txt'), 'hello from a file');
    const result = await pml(
      ['call', 'filesystem__read_text_file', JSON.stringify({ path: join(cwd, 'hello.txt') })],
      { cwd },
    );
    expect(result).toMatchObject({ code: 0, stdout: 'hello from a file\n' });
  });

  it('saves to a data dir that does not exist yet: pml creates it before any server starts', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'pml-cli-'));
    const entities = [{ name: 'pml-fresh-dir', entityType: 'test', observations: ['saved'] }];
    const created = await pml(['call', 'memory__create_entities', JSON.stringify({ entities })], { cwd });
    expect(created).toMatchObject({ code: 0 });
    const graph = await pml(['call', 'memory__read_graph', '{}'], { cwd });
    expect(graph.stdout).toContain('pml-fresh-dir');
  });

  it('exits 1 with the message when a call fails', async () => {
    const result = await pml(['call', 'fixture__fail', '{"message": "no luck"}'], {
      config: { mcpServers: { fixture: fixtureServer() } },
    });
    expect(result).toMatchObject({ code: 1, stdout: 'no luck\n' });
  });

  it('explains arguments that are not JSON', async () => {
    const result = await pml(['call', 'fixture__echo', '{text: 1}'], {
      config: { mcpServers: { fixture: fixtureServer() } },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/The arguments are not valid JSON/);
  });

  it('runs a workflow file and prints a table of its tasks', async () => {
    const { dir } = writeConfig({});
    const file = join(dir, 'workflow.json');
    writeFileSync(
      file,
      JSON.stringify({
        tasks: [
          { id: 'hello', tool: 'fixture__echo', arguments: { text: 'hi' } },
          { id: 'again', tool: 'fixture__echo', arguments: { text: '$OUTPUT[hello] twice' } },
        ],
      }),
    );
    const result = await pml(['run', file], {
      cwd: dir,
      config: { mcpServers: { fixture: fixtureServer() } },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^task +tool +status +start ms +ms +note\nhello +fixture__echo +ok +\d+ +\d+\nagain +fixture__echo +ok /,
    );
    expect(result.stdout).toMatch(/\nok: 2\/2 tasks ok in [\d.]+ ms \(critical path [\d.]+ ms\)\n$/);

    const json = await pml(['run', file, '--json'], { config: { mcpServers: { fixture: fixtureServer() } } });
    const tasks = (JSON.parse(json.stdout) as { tasks: { result: { content: { text: string }[] } }[] }).tasks;
    expect(tasks[1]!.result.content[0]!.text).toBe('Echo: Echo: hi twice');

    // The run was kept in the data dir before pml exited.
    const storage = await openStorage({ dataDir: join(dir, 'data') });
    try {
      const runs = await storage.workflowRuns.list();
      expect(runs.map((run) => run.status)).toEqual(['ok']);
    } finally {
      await storage.close();
    }
  });

  it('exits 1 and says why when a workflow is invalid or its file is missing', async () => {
    const { dir } = writeConfig({});
    const file = join(dir, 'workflow.json');
    writeFileSync(file, JSON.stringify({ tasks: [{ id: 'a', tool: 'fixture__echo', depends_on: ['a'] }] }));
    const invalid = await pml(['run', file], { config: { mcpServers: { fixture: fixtureServer() } } });
    expect(invalid).toMatchObject({ code: 1 });
    expect(invalid.stdout).toContain('task "a": it depends on itself');

    const missing = await pml(['run', join(dir, 'nope.json')], {
      config: { mcpServers: { fixture: fixtureServer() } },
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`The workflow file ${join(dir, 'nope.json')} does not exist`);
  });

  it("execs code that calls a tool and prints its value, with the code's console on stderr", async () => {
    const result = await pml(
      ['exec', '-e', `console.log('calling'); return await tools.fixture.echo({ text: 'from code' })`],
      {
        config: { mcpServers: { fixture: fixtureServer() }, sandbox: { approval: 'never', poolSize: 0 } },
      },
    );
    expect(result).toMatchObject({ code: 0, stdout: '"Echo: from code"\n' });
    expect(result.stderr).toContain('[log] calling');

    const failed = await pml(['exec', '-e', 'return missing.value'], {
      config: { mcpServers: {}, sandbox: { poolSize: 0 } },
    });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/missing is not defined/);
  });

  it('searches the embedded default servers tools and prints the best first', async () => {
    const result = await pml(['search', 'relocate a document into another folder', '--limit', '3']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\d\.\d{3} {2}filesystem__move_file /);
  });

  it('doctor reports healthy servers and exits 0', async () => {
    const result = await pml(['doctor'], { config: { mcpServers: { fixture: fixtureServer() } } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ok {3}fixture +stdio 1\d tools/);
    expect(result.stdout).toMatch(/1\/1 servers ready/);
  });

  it('doctor names the broken server and exits 1', async () => {
    const result = await pml(['doctor'], {
      config: { mcpServers: { fixture: fixtureServer(), broken: { command: 'pml-no-such-command-xyz' } } },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /FAIL broken +stdio Server "broken" could not start: command "pml-no-such-command-xyz" was not found/,
    );
  });

  it('names the key path of a typo in the config and suggests the right key', async () => {
    const result = await pml(['doctor'], { config: { mcpServers: { fs: { comand: 'node' } } } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /mcpServers\.fs\.comand: unknown key "comand" \(did you mean "command"\?\)/,
    );
    expect(result.stderr).toMatch(/mcpServers\.fs\.command: is required \(expected string\)/);
  });

  it('shows help for each command', async () => {
    for (const command of ['serve', 'tools', 'call', 'doctor']) {
      const result = await pml([command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: pml ${command}`));
    }
  });

  it('rejects an unknown flag with usage and exit code 2', async () => {
    const result = await pml(['tools', '--jsn']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Unknown option '--jsn'/);
  });
});
