// search_tools in process over real SDK servers: the index follows tools/list_changed, a call
// that follows a search lifts that tool for the same words, and workflow runs are kept in storage.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from '@modelcontextprotocol/server';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createToolServer,
  startInProcessGateway,
  textResult,
  type InProcessGateway,
  type TestTool,
} from '../helpers/in-process.js';

let harness: InProcessGateway | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const tool = (description: string): TestTool => ({
  inputSchema: { type: 'object', properties: { path: { type: 'string', description: 'where' } } },
  handle: () => textResult(description),
});

async function namesFor(client: Awaited<ReturnType<InProcessGateway['connectClient']>>, query: string) {
  const answer = await client.callTool({ name: 'search_tools', arguments: { query } });
  return (answer.structuredContent as { hits: { name: string }[] }).hits.map((hit) => hit.name);
}

describe('search_tools', () => {
  it('finds a tool a server adds later, once it sends tools/list_changed', async () => {
    const tools: Record<string, TestTool> = { read_report: tool('Read a quarterly sales report') };
    let server: Server | undefined;
    harness = await startInProcessGateway({
      sections: { search: { embedder: 'none' } },
      servers: { docs: () => (server = createToolServer(tools, { tools: { listChanged: true } })) },
    });
    const client = await harness.connectClient();
    expect(await namesFor(client, 'translate a paragraph')).not.toContain('docs__translate_text');

    const listed = new Promise<void>((resolve) =>
      client.setNotificationHandler('notifications/tools/list_changed', () => resolve()),
    );
    tools.translate_text = tool('Translate a paragraph of text into another language');
    await server!.sendToolListChanged();
    await listed;

    expect((await namesFor(client, 'translate a paragraph'))[0]).toBe('docs__translate_text');
  });

  it('lifts the tool a client called after searching, for the same words', async () => {
    harness = await startInProcessGateway({
      sections: { search: { embedder: 'none' } },
      servers: {
        files: () =>
          createToolServer({
            read_file: tool('Read a file from disk and return its text'),
            read_file_lines: tool('Read some lines of a file from disk'),
          }),
      },
    });
    const client = await harness.connectClient();
    const before = await namesFor(client, 'read a file');
    const second = before[1]!;

    await client.callTool({ name: second, arguments: { path: 'a.txt' } });

    expect((await namesFor(client, 'read a file'))[0]).toBe(second);
  });

  it('keeps each workflow run in storage, with its structure and no results', async () => {
    harness = await startInProcessGateway({
      dataDir: mkdtempSync(join(tmpdir(), 'pml-runs-')),
      sections: { storage: { enabled: true }, search: { embedder: 'none' } },
      servers: { files: () => createToolServer({ read_file: tool('secret-content-ab12') }) },
    });
    const client = await harness.connectClient();

    await client.callTool({
      name: 'execute_workflow',
      arguments: { tasks: [{ id: 'one', tool: 'files__read_file', arguments: { path: 'x' } }] },
    });

    const storage = (await harness.gateway.storage.get())!;
    const runs = await waitForRuns(storage);
    expect(runs[0]).toMatchObject({ status: 'ok', tasks: { layers: [['one']], critical_path: ['one'] } });
    expect(JSON.stringify(runs[0]!.tasks)).not.toContain('secret-content-ab12');
  });
});

async function waitForRuns(
  storage: NonNullable<Awaited<ReturnType<InProcessGateway['gateway']['storage']['get']>>>,
) {
  // The run is saved in the background after the answer; wait for it, without a clock.
  for (;;) {
    const runs = await storage.workflowRuns.list();
    if (runs.length > 0) return runs;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
