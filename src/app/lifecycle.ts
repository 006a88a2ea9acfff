// Shutdown for long-running commands: stdin EOF (stdio mode), SIGINT, SIGTERM and uncaught errors all
// close the gateway, which stops every child, within a bounded time, then exit.
import { killAllChildren } from '../downstream/index.js';
import type { Logger } from '../shared/logger.js';

const SHUTDOWN_LIMIT_MS = 5_000;

export interface ShutdownOptions {
  logger: Logger;
  close: () => Promise<void>;
  /** Stdio mode: the client closing our stdin means it is gone. */
  exitOnStdinEnd: boolean;
}

export function installShutdownHandlers(options: ShutdownOptions): void {
  let shuttingDown = false;
  const shutdown = (reason: string, exitCode: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    options.logger.info('shutting down', { reason });
    const timer = setTimeout(() => {
      options.logger.warn(`shutdown took longer than ${SHUTDOWN_LIMIT_MS} ms; killing children`);
      killAllChildren();
      process.exit(exitCode);
    }, SHUTDOWN_LIMIT_MS);
    timer.unref();
    options
      .close()
      .catch((error: unknown) => options.logger.error('error during shutdown', { error: String(error) }))
      .finally(() => {
        killAllChildren();
        process.exit(exitCode);
      });
  };
  if (options.exitOnStdinEnd) {
    process.stdin.once('end', () => shutdown('stdin closed', 0));
    process.stdin.once('close', () => shutdown('stdin closed', 0));
  }
  process.once('SIGINT', () => shutdown('SIGINT', 130));
  process.once('SIGTERM', () => shutdown('SIGTERM', 143));
  process.on('uncaughtException', (error) => {
    options.logger.error(`uncaught error: ${error.stack ?? error.message}`);
    shutdown('uncaught error', 1);
  });
  process.on('unhandledRejection', (reason) => {
    options.logger.error(
      `unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`,
    );
    shutdown('unhandled rejection', 1);
  });
}
