// Telemetry never harms the gateway: a dead, slow, failing or rate-limiting Sentry endpoint changes
// no result, holds no call and delays shutdown by at most the bounded flush; stdout stays protocol.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureServer } from '../helpers/gateway.js';
import { RawStdioPeer } from '../helpers/raw-stdio.js';
import {
  reserveDeadPort,
  startSentryReceiver,
  type ReceiverBehaviour,
  type SentryReceiver,
} from '../helpers/sentry-receiver.js';

// Generous bounds: these check that nothing waits on Sentry, not how fast the machine is.
const CALL_BOUND_MS = 1_500;
const SHUTDOWN_BOUND_MS = 4_500;

let receiver: SentryReceiver;
beforeAll(async () => {
  receiver = await startSentryReceiver();
});
afterAll(async () => {
  await receiver?.close();
});

async function exerciseGateway(dsn: string) {
  // SENTRY_DEBUG=1 would make the SDK print to stdout; pml must force it off.
  const peer = await RawStdioPeer.start(
    { mcpServers: { fixture: fixtureServer() } },
    { SENTRY_DSN: dsn, SENTRY_DEBUG: '1', SENTRY_TRACES_SAMPLE_RATE: '1' },
  );
  const slowest = { ms: 0 };
  for (let index = 0; index < 20; index++) {
    const startedAtMs = performance.now();
    const response = await peer.request('tools/call', {
      name: 'fixture__echo',
      arguments: { text: `n${index}` },
    });
    slowest.ms = Math.max(slowest.ms, performance.now() - startedAtMs);
    expect(response.result).toMatchObject({ content: [{ type: 'text', text: `Echo: n${index}` }] });
  }
  const failed = await peer.request('tools/call', { name: 'nope' });
  expect(failed.error?.code).toBe(-32602);
  const stopStartedAtMs = performance.now();
  const exitCode = await peer.stop();
  return { peer, slowestCallMs: slowest.ms, shutdownMs: performance.now() - stopStartedAtMs, exitCode };
}

describe('a Sentry endpoint that misbehaves', () => {
  it('changes nothing when the DSN points at a dead port', async () => {
    const port = await reserveDeadPort();
    const run = await exerciseGateway(`http://key@127.0.0.1:${port}/1`);
    expect(run.slowestCallMs).toBeLessThan(CALL_BOUND_MS);
    expect(run.shutdownMs).toBeLessThan(SHUTDOWN_BOUND_MS);
    expect(run.exitCode).toBe(0);
  });

  it.each<[string, ReceiverBehaviour]>([
    ['slow (10 s per envelope)', { delayMs: 10_000 }],
    ['HTTP 500', 'error500'],
    ['HTTP 429', 'rateLimit429'],
  ])('changes nothing when the endpoint is %s', async (_name, behaviour) => {
    receiver.setBehaviour(behaviour);
    try {
      const run = await exerciseGateway(receiver.dsn);
      expect(run.slowestCallMs).toBeLessThan(CALL_BOUND_MS);
      expect(run.shutdownMs).toBeLessThan(SHUTDOWN_BOUND_MS);
      expect(run.exitCode).toBe(0);
      expect(receiver.envelopes.length + receiver.rawText().length).toBeGreaterThan(0);
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
    expect(lines.length).toBeGreaterThan(20);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
    expect(run.peer.stderr).toMatch(/telemetry on/);
    await receiver.waitFor(() => receiver.transactions().length >= 20 || undefined);
  });
});
