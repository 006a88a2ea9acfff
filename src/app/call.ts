// `pml call <tool> '<json>'`: one tool call through the gateway; the result's content on stdout.
import { ConfigError } from '../errors/index.js';
import type { AppContext } from './context.js';
import { startInProcessGateway } from './in-process-client.js';
import { writeOut } from './output.js';

export async function runCall(
  context: AppContext,
  options: { tool: string; argumentsJson: string; json: boolean },
): Promise<number> {
  const args = parseArguments(options.argumentsJson);
  const gateway = await startInProcessGateway(context);
  try {
    const result = await gateway.client.callTool({ name: options.tool, arguments: args });
    if (options.json) {
      writeOut(JSON.stringify(result, null, 2));
    } else {
      for (const item of (result.content ?? []) as { type: string; text?: string }[]) {
        writeOut(item.type === 'text' ? (item.text ?? '') : `[${item.type} content]`);
      }
    }
    return result.isError ? 1 : 0;
  } finally {
    await gateway.close();
  }
}

function parseArguments(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      `The arguments are not valid JSON: ${error instanceof Error ? error.message : String(error)}. Example: pml call memory__read_graph '{}'`,
      {
        source: 'command line',
        issues: [{ path: 'arguments', message: 'invalid JSON' }],
      },
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`The arguments must be a JSON object, like '{"path": "README.md"}'.`, {
      source: 'command line',
      issues: [{ path: 'arguments', message: 'expected an object' }],
    });
  }
  return value as Record<string, unknown>;
}
