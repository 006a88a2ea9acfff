// A tools/call whose caller gives up while the server is restarting ends as a cancellation: a
// CancelledError, no Sentry issue for the call, and `cancelled` in the metrics, not a server error.
import { afterEach, describe, expect, it } from 'vitest';
import { CancelledError, MCPServerError } from '../../src/errors/index.js';
import { waitFor } from '../helpers/gateway.js';
import {
  createToolServer,
  startInProcessGateway,
  textResult,
  type InProcessGateway,
} from '../helpers/in-process.js';
import { createRecordingTelemetry, type RecordingTelemetry } from '../helpers/recording-telemetry.js';

// Long enough that the server is still restarting when the test ends; close() clears the timer.
const LONG_RESTART_DELAY_MS = 600_000;

let harness: InProcessGateway | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A gateway whose only server has just crashed and waits to be restarted. */
async function startRestarting(
  telemetry: RecordingTelemetry,
  restartDelayMs = LONG_RESTART_DELAY_MS,
): Promise<InProcessGateway> {
  harness = await startInProcessGateway({
    servers: { a: () => createToolServer({ echo: { handle: () => textResult('echo') } }) },
    gateway: { restart: { initialDelayMs: restartDelayMs, maxDelayMs: restartDelayMs } },
    telemetry,
  });
  await harness.serversMade('a')[0]!.close();
  await waitFor(() => harness!.gateway.core.toHealth().servers[0]?.state === 'restarting');
  return harness;
}

function toCallCaptures(telemetry: RecordingTelemetry) {
  return telemetry.captured.filter(
    ({ error, context }) =>
      context?.operation === 'mcp.tools.call' ||
      (error instanceof MCPServerError && error.data.operation === 'tools/call'),
  );
}

describe('cancelling during a restart', () => {
  it('ends a client call cancelled while the server restarts as a cancellation', async () => {
    const telemetry = createRecordingTelemetry();
    const gateway = await startRestarting(telemetry);
    const client = await gateway.connectClient();
    const controller = new AbortController();

    const call = client.callTool(
      { name: 'a__echo', arguments: {} },
      {
        signal: controller.signal,
      },
    );
    // The call has reached the server's connection, which holds it until the restart.
    await waitFor(() => telemetry.downstreamRequests.some((request) => request.method === 'tools/call'));
    controller.abort();
    await expect(call).rejects.toThrow();
    await waitFor(() => telemetry.finishedRequests.some((request) => request.method === 'tools/call'));

    expect(toCallCaptures(telemetry)).toEqual([]);
    const operation = gateway.gateway.core.metrics
      .toSnapshot()
      .operations.find((candidate) => candidate.operation === 'mcp.tools.call');
    expect(JSON.stringify(operation)).toContain('cancelled');
    expect(JSON.stringify(operation)).not.toContain('server_');
  });

  it('rejects an invoker call aborted while the server restarts with CancelledError', async () => {
    const telemetry = createRecordingTelemetry();
    const gateway = await startRestarting(telemetry);
    const controller = new AbortController();

    const call = gateway.gateway.core.invoker.invoke('a__echo', {}, { signal: controller.signal });
    await waitFor(() => telemetry.downstreamRequests.some((request) => request.method === 'tools/call'));
    controller.abort();
    const error = await call.then(
      () => expect.fail('the call succeeded'),
      (failure: unknown) => failure,
    );

    expect(error).toBeInstanceOf(CancelledError);
    expect((error as CancelledError).data).toMatchObject({
      operation: 'tools/call',
      tool: 'a__echo',
      serverId: 'a',
    });
  });

  it('rejects a call aborted before it reached the restarting server without waiting for the restart', async () => {
    const telemetry = createRecordingTelemetry();
    // Short, so that a call wrongly held until the restart is seen to end only once the server is back.
    const gateway = await startRestarting(telemetry, 100);

    const outcome = await gateway.gateway.core.invoker
      .invoke('a__echo', {}, { signal: AbortSignal.abort() })
      .then(
        () => ({ error: undefined, stateAtEnd: undefined }),
        (error: unknown) => ({ error, stateAtEnd: gateway.gateway.core.toHealth().servers[0]?.state }),
      );

    expect(outcome.error).toBeInstanceOf(CancelledError);
    expect(outcome.stateAtEnd).toBe('restarting');
  });
});
