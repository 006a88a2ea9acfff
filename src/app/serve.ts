// `pml serve`: the gateway over stdio (default) or Streamable HTTP, until the client or a signal ends it.
import { join } from 'node:path';
import {
  createGateway,
  LineStdioServerTransport,
  startHttpGateway,
  type HttpGateway,
} from '../gateway/index.js';
import { createMetricsRegistry, createStatsWriter } from '../metrics/index.js';
import type { Logger } from '../shared/logger.js';
import { initTelemetry, resolveTelemetrySettings } from '../telemetry/index.js';
import type { AppContext } from './context.js';
import { installShutdownHandlers } from './lifecycle.js';
import { toListenError } from './listen-failure.js';

// Shutdown waits this long at most for telemetry to leave; a dead Sentry endpoint must not hold it.
const TELEMETRY_FLUSH_MS = 2_000;
// The whole shutdown: servers, the last stats, the telemetry flush (bounded by TELEMETRY_FLUSH_MS).
const SHUTDOWN_LIMIT_MS = 5_000;
// How often the metrics snapshot is written for `pml stats`; PML_STATS_INTERVAL_MS overrides it.
const STATS_INTERVAL_MS = 5_000;

export interface ServeOptions {
  http: boolean;
  host?: string | undefined;
  port?: number | undefined;
  token?: string | undefined;
}

export async function runServe(context: AppContext, options: ServeOptions): Promise<void> {
  const { config, logger } = context;
  const telemetry = await initTelemetry(resolveTelemetrySettings(process.env, config.telemetry), logger);
  const metrics = createMetricsRegistry();
  const gateway = createGateway({ config, logger, telemetry, metrics });
  const stats = createStatsWriter({
    dir: join(config.dataDir, 'stats'),
    registry: metrics,
    intervalMs: resolveStatsIntervalMs(process.env.PML_STATS_INTERVAL_MS, logger),
    logger,
    transport: options.http ? 'http' : 'stdio',
    configSource: config.source,
  });
  let http: HttpGateway | undefined;
  // Installed before any server starts, so that a signal during startup stops them too.
  const shutdown = installShutdownHandlers({
    logger,
    close: async () => {
      try {
        await http?.close();
        await gateway.close();
      } finally {
        // After the core: the last snapshot includes the calls that finished during shutdown.
        await stats.close();
        await telemetry.close(TELEMETRY_FLUSH_MS);
      }
    },
    giveUpAfterMs: SHUTDOWN_LIMIT_MS,
    exitOnStdinEnd: !options.http,
  });
  const start = () => {
    gateway.core.start();
    stats.start();
    logger.info(`pml serving ${config.servers.length} servers from ${config.source}`, {
      transport: options.http ? 'http' : 'stdio',
    });
  };

  if (!options.http) {
    const transport = new LineStdioServerTransport({
      stdin: process.stdin,
      stdout: process.stdout,
      maxMessageBytes: config.gateway.maxMessageBytes,
      onProblem: (message) => logger.warn(`bad message from client: ${message.slice(0, 300)}`),
    });
    start();
    await gateway.serveStdio(transport);
    return;
  }

  const httpConfig = config.gateway.http;
  // Listening comes first: a port that is taken ends pml before any server has started.
  try {
    http = await startHttpGateway(gateway.services, {
      logger,
      host: options.host ?? httpConfig.host,
      port: options.port ?? httpConfig.port,
      token: options.token ?? httpConfig.token,
      allowedHosts: httpConfig.allowedHosts,
      allowedOrigins: httpConfig.allowedOrigins,
      maxMessageBytes: config.gateway.maxMessageBytes,
      sessionIdleMs: httpConfig.sessionIdleMs,
      maxSessions: httpConfig.maxSessions,
    });
  } catch (error) {
    await shutdown.close();
    throw toListenError(error, {
      host: options.host ?? httpConfig.host,
      port: options.port ?? httpConfig.port,
      source: options.port === undefined ? config.source : '--port',
    });
  }
  start();
  // Tests and scripts read this line to find the port when it was chosen by the OS.
  logger.info(`listening on ${http.url}`);
}

function resolveStatsIntervalMs(text: string | undefined, logger: Logger): number {
  if (!text) return STATS_INTERVAL_MS;
  const intervalMs = Number(text);
  if (Number.isInteger(intervalMs) && intervalMs > 0) return intervalMs;
  logger.warn(`PML_STATS_INTERVAL_MS must be a positive integer, got "${text}"; using ${STATS_INTERVAL_MS}`);
  return STATS_INTERVAL_MS;
}
