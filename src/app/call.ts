// `pml call <tool> '<json>'`: one tool call through the gateway; the result's content on stdout.
import type { AppContext } from './context.js';
import { runWithInProcessClient } from './in-process-client.js';
import { writeOut } from './output.js';
import { parseJsonObject } from './parse-json-object.js';

export async function runCall(
  context: AppContext,
  options: { tool: string; argumentsJson: string; json: boolean },
): Promise<number> {
  const args = parseJsonObject(options.argumentsJson, {
    source: 'command line',
    name: 'arguments',
    plural: true,
    example: `pml call memory__read_graph '{}'`,
  });
  return runWithInProcessClient(context, async ({ client }) => {
    const result = await client.callTool({ name: options.tool, arguments: args });
    if (options.json) {
      writeOut(JSON.stringify(result, null, 2));
    } else {
      for (const item of (result.content ?? []) as { type: string; text?: string }[]) {
        writeOut(item.type === 'text' ? (item.text ?? '') : `[${item.type} content]`);
      }
    }
    return result.isError ? 1 : 0;
  });
}
