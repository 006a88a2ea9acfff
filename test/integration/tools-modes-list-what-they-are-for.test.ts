// gateway.toolsMode: 'search' and 'code' need meta-tools this pml does not have yet, so the gateway
// refuses them with a ConfigError that says to use "all"; 'all' lists gateway_status and every tool.
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/index.js';
import { createGateway } from '../../src/gateway/index.js';
import { silentLogger } from '../../src/shared/logger.js';
import {
  buildTestConfig,
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

describe('tools mode', () => {
  it.each(['search', 'code'])(
    'refuses toolsMode %s with a ConfigError that says to use "all"',
    (toolsMode) => {
      const config = buildTestConfig(['a'], { toolsMode });
      let error: unknown;
      try {
        createGateway({ config, logger: silentLogger });
      } catch (thrown) {
        error = thrown;
      }

      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain(`gateway.toolsMode "${toolsMode}"`);
      expect((error as Error).message).toContain('Use "all"');
      expect((error as ConfigError).data.issues.map((issue) => issue.path)).toEqual(['gateway.toolsMode']);
    },
  );

  it('lists the meta-tools and every proxied tool in all mode, the default', async () => {
    harness = await startInProcessGateway({
      servers: {
        a: () => createToolServer({ echo: { handle: () => textResult('echo') } }),
        b: () => createToolServer({ shout: { handle: () => textResult('SHOUT') } }),
      },
    });
    const client = await harness.connectClient();

    const { tools } = await client.listTools();

    expect(harness.gateway.services.tools.mode).toBe('all');
    expect(tools.map((tool) => tool.name)).toEqual([
      'gateway_status',
      'execute_workflow',
      'a__echo',
      'b__shout',
    ]);
  });
});
