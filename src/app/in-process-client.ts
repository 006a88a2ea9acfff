// One-shot commands (`pml tools`, `pml call`) talk to the gateway through a real MCP client over an
// in-memory transport, so they exercise exactly the path a remote client takes.
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import type { GatewayCore } from '../gateway/index.js';
import { PML_VERSION } from '../shared/version.js';
import type { AppContext } from './context.js';
import { runOnGateway } from './one-shot.js';

export interface InProcessGateway {
  client: Client;
  core: GatewayCore;
}

/** Starts the servers, connects a client and runs `work` with it; the exit code is what it returns. */
export function runWithInProcessClient(
  context: AppContext,
  work: (gateway: InProcessGateway) => Promise<number>,
): Promise<number> {
  return runOnGateway(context, async (gateway) => {
    await gateway.core.startAndSettle();
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await gateway.connect(serverSide, 'memory');
    // It declares no capability: a server's sampling, elicitation or roots request is refused at once.
    const client = new Client({ name: 'pml-cli', version: PML_VERSION });
    await client.connect(clientSide);
    try {
      return await work({ client, core: gateway.core });
    } finally {
      await client.close().catch(() => {});
    }
  });
}
