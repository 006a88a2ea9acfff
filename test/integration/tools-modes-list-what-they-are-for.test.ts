// gateway.toolsMode: `all` lists the meta-tools and every proxied tool; `search` lists only the
// meta-tools (proxied tools stay callable by name, found with search_tools); a mode whose meta-tool
// this pml lacks is refused with a ConfigError instead of being silently ignored.
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/index.js';
import { MetaToolTable } from '../../src/gateway/meta-tools/meta-tool-table.js';
import {
  createToolServer,
  startInProcessGateway,
  textResult,
  type InProcessGateway,
} from '../helpers/in-process.js';

let harness: InProcessGateway | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const servers = {
  a: () => createToolServer({ echo: { handle: () => textResult('echo') } }),
  b: () => createToolServer({ shout: { handle: () => textResult('SHOUT') } }),
};

describe('tools mode', () => {
  it('lists the meta-tools and every proxied tool in all mode, the default', async () => {
    harness = await startInProcessGateway({ servers });
    const client = await harness.connectClient();

    const { tools } = await client.listTools();

    expect(harness.gateway.services.tools.mode).toBe('all');
    expect(tools.map((tool) => tool.name)).toEqual([
      'gateway_status',
      'search_tools',
      'execute_workflow',
      'execute_code',
      'a__echo',
      'b__shout',
    ]);
  });

  it('lists only the meta-tools in search mode, and proxied tools are still called by name', async () => {
    harness = await startInProcessGateway({
      servers,
      gateway: { toolsMode: 'search' },
      sections: { search: { embedder: 'none' } },
    });
    const client = await harness.connectClient();

    const { tools } = await client.listTools();
    const called = await client.callTool({ name: 'b__shout', arguments: {} });

    expect(tools.map((tool) => tool.name)).toEqual(['gateway_status', 'search_tools', 'execute_workflow']);
    expect(called.content).toEqual([{ type: 'text', text: 'SHOUT' }]);
  });

  it('refuses a mode whose meta-tool the table lacks, saying what is missing and what to use', () => {
    const table = new MetaToolTable([]);
    let error: unknown;
    try {
      table.assertModeAvailable('search', 'pml.config.json');
    } catch (thrown) {
      error = thrown;
    }

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('gateway.toolsMode "search" needs the search_tools meta-tool');
    expect((error as Error).message).toContain('Use "all"');
    expect((error as ConfigError).data.issues.map((issue) => issue.path)).toEqual(['gateway.toolsMode']);
  });
});
