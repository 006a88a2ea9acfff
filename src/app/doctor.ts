// `pml doctor`: validates the config, starts each server once (no restarts), prints health and tool
// counts, and exits non-zero when anything is wrong.
import type { AppContext } from './context.js';
import { runOnGateway } from './one-shot.js';
import { writeOut } from './output.js';

export async function runDoctor(context: AppContext): Promise<number> {
  const { config } = context;
  writeOut(`config: ${config.source} (valid, ${config.servers.length} servers)`);
  writeOut(`data dir: ${config.dataDir}`);
  const startedAtMs = performance.now();
  return runOnGateway(context, async (gateway) => {
    await gateway.core.startAndSettle();
    const statuses = gateway.core.toHealth().servers;
    const width = Math.max(6, ...statuses.map((status) => status.id.length));
    for (const status of statuses) {
      const mark = status.state === 'ready' ? 'ok  ' : 'FAIL';
      const detail =
        status.state === 'ready' ? `${status.toolCount} tools` : (status.lastError?.message ?? status.state);
      writeOut(`${mark} ${status.id.padEnd(width)} ${status.transport.padEnd(5)} ${detail}`);
    }
    const failed = statuses.filter((status) => status.state !== 'ready').length;
    writeOut(
      `${statuses.length - failed}/${statuses.length} servers ready in ${Math.round(performance.now() - startedAtMs)} ms`,
    );
    return failed === 0 ? 0 : 1;
  });
}
