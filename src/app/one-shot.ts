// The frame of a one-shot command (`tools`, `call`, `search`, `run`, `exec`, `doctor`): a gateway of
// its own whose servers stop however the command ends. A signal mid-call stops them and the command
// ends with 130/143; once the work is done its servers are gone within 2 s, whatever they do.
import { createGateway, type Gateway } from '../gateway/index.js';
import type { AppContext } from './context.js';
import { installShutdownHandlers } from './lifecycle.js';

// Servers are killed 1.5 s into the close (see lifecycle.ts), but pml's own closing is not cut
// short: a workflow run is saved before the command exits, and the first save into a new PGlite
// data dir takes up to 15 s. Only a close that hangs is given up.
const GIVE_UP_AFTER_MS = 30_000;

/** Runs `work` on a fresh gateway (servers not started yet) and resolves with the exit code. */
export async function runOnGateway(
  context: AppContext,
  work: (gateway: Gateway) => Promise<number>,
): Promise<number> {
  const gateway = createGateway({ config: context.config, logger: context.logger, autoRestart: false });
  const shutdown = installShutdownHandlers({
    logger: context.logger,
    close: () => gateway.close(),
    giveUpAfterMs: GIVE_UP_AFTER_MS,
    exitOnStdinEnd: false,
  });
  try {
    const exitCode = await work(gateway);
    return shutdown.exitCode ?? exitCode;
  } catch (error) {
    // The work failed because a signal closed the servers under it: the signal is how it ended.
    if (shutdown.exitCode !== undefined) return shutdown.exitCode;
    throw error;
  } finally {
    await shutdown.close();
  }
}
