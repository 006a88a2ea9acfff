// `pml serve`: the gateway over stdio (default) or Streamable HTTP, until the client or a signal ends it.
import { GatewayCore, GatewaySession, LineStdioServerTransport, startHttpGateway } from '../gateway/index.js';
import type { AppContext } from './context.js';
import { installShutdownHandlers } from './lifecycle.js';

export interface ServeOptions {
  http: boolean;
  host?: string | undefined;
  port?: number | undefined;
  token?: string | undefined;
}

export async function runServe(context: AppContext, options: ServeOptions): Promise<void> {
  const { config, logger } = context;
  const core = new GatewayCore({ config, logger });
  core.start();
  logger.info(`pml serving ${config.servers.length} servers from ${config.source}`, {
    transport: options.http ? 'http' : 'stdio',
  });

  if (!options.http) {
    const session = new GatewaySession(core);
    const transport = new LineStdioServerTransport({
      stdin: process.stdin,
      stdout: process.stdout,
      maxMessageBytes: config.gateway.maxMessageBytes,
      onProblem: (message) => logger.warn(`bad message from client: ${message.slice(0, 300)}`),
    });
    installShutdownHandlers({ logger, close: () => core.close(), exitOnStdinEnd: true });
    await session.connect(transport);
    return;
  }

  const http = config.gateway.http;
  const gateway = await startHttpGateway(core, {
    host: options.host ?? http.host,
    port: options.port ?? http.port,
    token: options.token ?? http.token,
    allowedHosts: http.allowedHosts,
    allowedOrigins: http.allowedOrigins,
    maxMessageBytes: config.gateway.maxMessageBytes,
  });
  installShutdownHandlers({
    logger,
    close: async () => {
      await gateway.close();
      await core.close();
    },
    exitOnStdinEnd: false,
  });
  // Tests and scripts read this line to find the port when it was chosen by the OS.
  logger.info(`listening on ${gateway.url}`);
}
