// Health checks: a server that stops answering pings is closed after two misses in a row and started
// again through the transport factory; calls work once it is back.
import { afterEach, describe, expect, it } from 'vitest';
import { textOf, waitFor } from '../helpers/gateway.js';
import {
  createToolServer,
  startInProcessGateway,
  textResult,
  type InProcessGateway,
} from '../helpers/in-process.js';

const PING_LATENCY_MS = 5;

let harness: InProcessGateway | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('health checks', () => {
  it('restarts a server whose pings go unanswered and serves calls again', async () => {
    let made = 0;
    const createServer = () => {
      const server = createToolServer({
        echo: { handle: (args) => textResult(`echo: ${String(args.text)}`) },
      });
      // The first server hangs on every ping; the one that replaces it answers.
      if (++made === 1) server.setRequestHandler('ping', () => new Promise<never>(() => {}));
      return server;
    };
    harness = await startInProcessGateway({
      servers: { a: createServer },
      gateway: { healthCheckIntervalMs: 50, healthCheckTimeoutMs: 50, restart: { initialDelayMs: 10 } },
    });
    expect(harness.transportsMade('a')).toBe(1);

    await waitFor(() => harness!.transportsMade('a') >= 2);
    const status = await waitFor(() => {
      const server = harness!.gateway.core.toHealth().servers.find((candidate) => candidate.id === 'a');
      return server?.state === 'ready' && server.restarts >= 1 ? server : undefined;
    });

    expect(status.lastError?.message).toMatch(/health check failed/);
    const client = await harness.connectClient();
    const result = await client.callTool({ name: 'a__echo', arguments: { text: 'back' } });
    expect(textOf(result)).toBe('echo: back');
  });

  it('leaves alone a server that answers its pings a little late', async () => {
    let answered = 0;
    const createServer = () => {
      const server = createToolServer({ echo: { handle: () => textResult('echo') } });
      // A few ms per ping, as a real server takes: well inside the timeout, but not instant.
      server.setRequestHandler(
        'ping',
        () => new Promise((resolve) => setTimeout(() => resolve((answered++, {})), PING_LATENCY_MS)),
      );
      return server;
    };
    harness = await startInProcessGateway({
      servers: { a: createServer },
      gateway: { healthCheckIntervalMs: 50, healthCheckTimeoutMs: 1_000 },
    });

    await waitFor(() => answered >= 6);

    expect(harness.transportsMade('a')).toBe(1);
    expect(harness.gateway.core.toHealth().servers[0]).toMatchObject({ state: 'ready', restarts: 0 });
  });
});
