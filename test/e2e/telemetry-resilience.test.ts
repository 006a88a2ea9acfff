// Telemetry never harms the gateway: a dead, slow, failing or rate-limiting Sentry endpoint changes
// no result, holds no call and does not hold shutdown; stdout stays protocol. "Holds no call" is
// checked by order of events, not by the clock: calls and the exit happen while the slow endpoint
// still sits on every envelope it received.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureServer } from '../helpers/gateway.js';
import { RawStdioPeer } from '../helpers/raw-stdio.js';
import {
  reserveDeadPort,
  startSentryReceiver,
  type ReceiverBehaviour,
  type SentryReceiver,
} from '../helpers/sentry-receiver.js';

let receiver: SentryReceiver;
beforeAll(async () => {
  receiver = await startSentryReceiver();
});
afterAll(async () => {
  await receiver?.close();
});

async function exerciseGateway(dsn: string, whileSentryWaits?: () => Promise<void>) {
  // SENTRY_DEBUG=1 would make the SDK print to stdout; pml must force it off.
  const peer = await RawStdioPeer.start(
    { mcpServers: { fixture: fixtureServer() } },
    { SENTRY_DSN: dsn, SENTRY_DEBUG: '1', SENTRY_TRACES_SAMPLE_RATE: '1' },
  );
  const callEcho = async (index: number) => {
    const response = await peer.request('tools/call', {
      name: 'fixture__echo',
      arguments: { text: `n${index}` },
    });
    expect(response.result).toMatchObject({ content: [{ type: 'text', text: `Echo: n${index}` }] });
  };
  for (let index = 0; index < 20; index++) await callEcho(index);
  await whileSentryWaits?.();
  for (let index = 20; index < 25; index++) await callEcho(index);
  const failed = await peer.request('tools/call', { name: 'nope' });
  expect(failed.error?.code).toBe(-32602);
  const exitCode = await peer.stop();
  return { peer, exitCode };
}

describe('a Sentry endpoint that misbehaves', () => {
  it('changes nothing when the DSN points at a dead port', async () => {
    const port = await reserveDeadPort();
    const run = await exerciseGateway(`http://key@127.0.0.1:${port}/1`);
    expect(run.exitCode).toBe(0);
  });

  it('answers calls and exits while a slow endpoint (10 s per envelope) has answered nothing', async () => {
    receiver.setBehaviour({ delayMs: 10_000 });
    try {
      const run = await exerciseGateway(receiver.dsn, async () => {
        // From here on, every envelope the gateway sent waits for an answer that is 10 s away.
        await receiver.waitFor(() => receiver.envelopes.length > 0 || undefined);
      });
      expect(run.exitCode).toBe(0);
      // The calls after the first envelope and the whole shutdown came before any answer.
      expect(receiver.answered()).toBe(0);
      expect(receiver.envelopes.length).toBeGreaterThan(0);
    } finally {
      receiver.setBehaviour('ok');
      receiver.clear();
    }
  });

  it.each<[string, ReceiverBehaviour]>([
    ['HTTP 500', 'error500'],
    ['HTTP 429', 'rateLimit429'],
  ])('changes nothing when the endpoint is %s', async (_name, behaviour) => {
    receiver.setBehaviour(behaviour);
    try {
      const run = await exerciseGateway(receiver.dsn, async () => {
        await receiver.waitFor(() => receiver.answered() > 0 || undefined);
      });
      expect(run.exitCode).toBe(0);
    } finally {
      receiver.setBehaviour('ok');
      receiver.clear();
    }
  });

  it('bounds the envelopes in flight, and counts what it drops beyond them', async () => {
    receiver.setBehaviour({ delayMs: 10_000 });
    const peer = await RawStdioPeer.start(
      { mcpServers: { fixture: fixtureServer() }, telemetry: { bufferSize: 2 } },
      { SENTRY_DSN: receiver.dsn, SENTRY_TRACES_SAMPLE_RATE: '1' },
    );
    try {
      for (let index = 0; index < 30; index++) {
        const response = await peer.request('tools/call', {
          name: 'fixture__echo',
          arguments: { text: 'burst' },
        });
        expect(response.result).toMatchObject({ content: [{ text: 'Echo: burst' }] });
      }
      const status = await peer.request('tools/call', { name: 'gateway_status', arguments: {} });
      const telemetry = (
        status.result?.structuredContent as {
          telemetry: { enabled: boolean; dropped: Record<string, number> };
        }
      ).telemetry;
      expect(telemetry.enabled).toBe(true);
      expect(telemetry.dropped['queue_overflow:transaction']).toBeGreaterThanOrEqual(20);
    } finally {
      await peer.stop();
      receiver.setBehaviour('ok');
      receiver.clear();
    }
  });

  it('keeps stdout protocol-only with telemetry on and SENTRY_DEBUG set', async () => {
    const run = await exerciseGateway(receiver.dsn);
    const lines = run.peer.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(25);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
    expect(run.peer.stderr).toMatch(/telemetry on/);
    await receiver.waitFor(() => receiver.transactions().length >= 20 || undefined);
  });
});
