// `pml tools`: the aggregated tool list, as a table or as JSON.
import type { AppContext } from './context.js';
import { startInProcessGateway } from './in-process-client.js';
import { writeOut } from './output.js';

export async function runTools(context: AppContext, options: { json: boolean }): Promise<number> {
  const gateway = await startInProcessGateway(context);
  try {
    const { tools } = await gateway.client.listTools();
    if (options.json) {
      writeOut(JSON.stringify(tools, null, 2));
    } else {
      const width = Math.max(...tools.map((tool) => tool.name.length));
      for (const tool of tools)
        writeOut(`${tool.name.padEnd(width)}  ${(tool.description ?? '').split('\n')[0]!.slice(0, 100)}`);
      writeOut(`\n${tools.length} tools`);
    }
    const down = gateway.core.toHealth().servers.filter((server) => server.state !== 'ready');
    for (const server of down)
      context.logger.warn(`server "${server.id}" is ${server.state}: ${server.lastError?.message ?? ''}`);
    return 0;
  } finally {
    await gateway.close();
  }
}
