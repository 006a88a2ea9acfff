// One-shot commands (`pml tools`, `pml call`) talk to the gateway through a real MCP client over an
// in-memory transport, so they exercise exactly the path a remote client takes.
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { createGateway, type GatewayCore } from '../gateway/index.js';
import { PML_VERSION } from '../shared/version.js';
import type { AppContext } from './context.js';

export interface InProcessGateway {
  client: Client;
  core: GatewayCore;
  close(): Promise<void>;
}

export async function startInProcessGateway(context: AppContext): Promise<InProcessGateway> {
  const gateway = createGateway({ config: context.config, logger: context.logger, autoRestart: false });
  await gateway.core.startAndSettle();
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await gateway.connect(serverSide, 'memory');
  const client = new Client({ name: 'pml-cli', version: PML_VERSION });
  await client.connect(clientSide);
  return {
    client,
    core: gateway.core,
    close: async () => {
      await client.close().catch(() => {});
      await gateway.close();
    },
  };
}
