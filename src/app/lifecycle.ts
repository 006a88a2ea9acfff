// How a pml process ends, for every command: SIGINT, SIGTERM and SIGHUP (and stdin EOF in stdio
// mode, and uncaught errors) close what the command opened, which stops every server with its
// process group, within a bound; then the process exits 130/143/129 (0 on stdin EOF, 1 on an error).
// Servers run in process groups of their own, out of the terminal's reach: a Ctrl-C reaches only pml,
// so pml must always pass it on, even a second Ctrl-C, which kills them at once.
import { countLiveChildren, killAllChildren } from '../downstream/index.js';
import type { Logger } from '../shared/logger.js';

// A server gets 1 s after SIGTERM before SIGKILL (see downstream/stdio-client-transport.ts); past
// this every server left is killed, so servers never hold pml more than 2 s after it starts closing.
const KILL_SERVERS_AFTER_MS = 1_500;

const SIGNAL_EXIT_CODES: Readonly<Record<'SIGINT' | 'SIGTERM' | 'SIGHUP', number>> = {
  SIGINT: 130,
  SIGTERM: 143,
  SIGHUP: 129,
};

export interface ShutdownOptions {
  logger: Logger;
  close: () => Promise<void>;
  /** How long pml's own closing (saving what is pending, flushing telemetry) may take in all. */
  giveUpAfterMs: number;
  /** Stdio mode: the client closing our stdin means it is gone. */
  exitOnStdinEnd: boolean;
}

export interface Shutdown {
  /** Set once a signal, stdin EOF or an uncaught error started the shutdown: the code it exits with. */
  readonly exitCode: number | undefined;
  /** Runs `close` once within the limit (later calls share it) and never rejects. */
  close(): Promise<void>;
}

export function installShutdownHandlers(options: ShutdownOptions): Shutdown {
  const { logger } = options;
  let closing: Promise<void> | undefined;
  let exitCode: number | undefined;
  let signalled = false;
  const close = () => (closing ??= closeWithin(options));
  const shutdown = (reason: string, code: number) => {
    if (exitCode !== undefined) return;
    exitCode = code;
    logger.info('shutting down', { reason });
    void close().then(() => process.exit(code));
  };
  for (const [signal, code] of Object.entries(SIGNAL_EXIT_CODES)) {
    process.on(signal as NodeJS.Signals, () => {
      if (exitCode === undefined) {
        signalled = true;
        return shutdown(signal, code);
      }
      // A client that closed our stdin sends SIGTERM after a while (the SDK's does after 2 s): that
      // shutdown goes on, bounded, so that pending data is saved.
      if (!signalled) return;
      // A signal again while closing: whoever sends it wants out now, servers included.
      logger.warn(`${signal} again while shutting down; killing the servers now`);
      killAllChildren();
      process.exit(code);
    });
  }
  if (options.exitOnStdinEnd) {
    process.stdin.once('end', () => shutdown('stdin closed', 0));
    process.stdin.once('close', () => shutdown('stdin closed', 0));
  }
  process.on('uncaughtException', (error) => {
    logger.error(`uncaught error: ${error.stack ?? error.message}`);
    shutdown('uncaught error', 1);
  });
  process.on('unhandledRejection', (reason) => {
    logger.error(
      `unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`,
    );
    shutdown('unhandled rejection', 1);
  });
  return {
    get exitCode() {
      return exitCode;
    },
    close,
  };
}

/** Runs `close`; servers that outlast their limit are killed, and a close that hangs is given up. */
async function closeWithin(options: ShutdownOptions): Promise<void> {
  const { logger } = options;
  const timers: NodeJS.Timeout[] = [];
  const after = (delayMs: number, then: () => void) =>
    new Promise<void>((resolve) => timers.push(setTimeout(() => resolve(then()), delayMs)));
  const closed = options
    .close()
    .catch((error: unknown) => logger.error('error during shutdown', { error: String(error) }));
  void after(KILL_SERVERS_AFTER_MS, () => {
    if (countLiveChildren() === 0) return;
    logger.warn(`servers still running ${KILL_SERVERS_AFTER_MS} ms into the shutdown; killing them`);
    killAllChildren();
  });
  try {
    await Promise.race([
      closed,
      after(options.giveUpAfterMs, () =>
        logger.warn(`closing took longer than ${options.giveUpAfterMs} ms; exiting anyway`),
      ),
    ]);
  } finally {
    for (const timer of timers) clearTimeout(timer);
    killAllChildren();
  }
}
