// `pml tools`: the aggregated tool list, as a table or as JSON.
import type { AppContext } from './context.js';
import { runWithInProcessClient } from './in-process-client.js';
import { writeOut } from './output.js';

export async function runTools(context: AppContext, options: { json: boolean }): Promise<number> {
  return runWithInProcessClient(context, async ({ client, core }) => {
    const { tools } = await client.listTools();
    if (options.json) {
      writeOut(JSON.stringify(tools, null, 2));
    } else {
      const width = Math.max(...tools.map((tool) => tool.name.length));
      for (const tool of tools)
        writeOut(`${tool.name.padEnd(width)}  ${(tool.description ?? '').split('\n')[0]!.slice(0, 100)}`);
      writeOut(`\n${tools.length} tools`);
    }
    const down = core.toHealth().servers.filter((server) => server.state !== 'ready');
    for (const server of down)
      context.logger.warn(`server "${server.id}" is ${server.state}: ${server.lastError?.message ?? ''}`);
    return 0;
  });
}
