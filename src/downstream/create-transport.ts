// The client transport for one configured server: our stdio transport, or the SDK's Streamable HTTP one.
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ServerConfig } from '../config/index.js';
import { SpawnedStdioTransport } from './stdio-client-transport.js';

/** Makes the client transport for a server; called again on every restart. */
export type TransportFactory = (config: ServerConfig, onStderrLine: (line: string) => void) => Transport;

export const createTransport: TransportFactory = (config, onStderrLine) => {
  if (config.transport === 'http') {
    return new StreamableHTTPClientTransport(new URL(config.url), {
      requestInit: { headers: config.headers },
    });
  }
  return new SpawnedStdioTransport({
    command: config.command,
    args: config.args,
    env: config.env,
    cwd: config.cwd,
    onStderrLine,
  });
};
