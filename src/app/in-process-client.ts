// One-shot commands (`pml tools`, `pml call`) talk to the gateway through a real MCP client over an
// in-memory transport, so they exercise exactly the path a remote client takes.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { GatewayCore, GatewaySession } from '../gateway/index.js';
import { PML_VERSION } from '../shared/version.js';
import type { AppContext } from './context.js';

export interface InProcessGateway {
  client: Client;
  core: GatewayCore;
  close(): Promise<void>;
}

export async function startInProcessGateway(context: AppContext): Promise<InProcessGateway> {
  const core = new GatewayCore({ config: context.config, logger: context.logger, autoRestart: false });
  await core.pool.start();
  const session = new GatewaySession(core, 'memory');
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await session.connect(serverSide);
  const client = new Client({ name: 'pml-cli', version: PML_VERSION });
  await client.connect(clientSide);
  return {
    client,
    core,
    close: async () => {
      await client.close().catch(() => {});
      await core.close();
    },
  };
}
