// A request's trace as pml propagates it: ids, the sampled flag, and baggage that carries the
// sampling decision of a new trace or, unchanged, that of an inbound one.
import { describe, expect, it } from 'vitest';
import { RecordedSpan } from './recorded-span.js';
import { readInboundTrace } from './trace-context.js';
import {
  createRequestTrace,
  toClientBaggage,
  toDynamicSamplingContext,
  toTraceMeta,
} from './request-trace.js';

const clientEntries = { environment: 'test', release: 'pml@1.0.0+abc', public_key: 'k' };
const clientBaggage = toClientBaggage(clientEntries);

describe('request traces', () => {
  it('propagates an unsampled new trace with -0 flags and its own sampling decision', () => {
    const trace = createRequestTrace({
      inbound: undefined,
      sampleRand: 0.5,
      sampleRate: 0.1,
      root: undefined,
    });
    const meta = toTraceMeta(trace, trace.spanId, clientBaggage);
    expect(meta['sentry-trace']).toBe(`${trace.traceId}-${trace.spanId}-0`);
    expect(meta.traceparent).toBe(`00-${trace.traceId}-${trace.spanId}-00`);
    expect(meta.baggage).toBe(
      `sentry-environment=test,sentry-release=pml%401.0.0%2Babc,sentry-public_key=k,sentry-trace_id=${trace.traceId},sentry-sample_rate=0.1,sentry-sample_rand=0.500000,sentry-sampled=false`,
    );
    expect(trace.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(trace.spanId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('names the transaction of a sampled trace and flags it sampled', () => {
    const root = new RecordedSpan('tools/call a__b', 'mcp.server', {}, undefined);
    const trace = createRequestTrace({ inbound: undefined, sampleRand: 0.05, sampleRate: 0.1, root });
    const child = new RecordedSpan('tools/call b', 'mcp.client', {}, root.spanId);
    const meta = toTraceMeta(trace, child.spanId, clientBaggage);
    expect(meta['sentry-trace']).toBe(`${trace.traceId}-${child.spanId}-1`);
    expect(meta.baggage).toContain('sentry-sampled=true,sentry-transaction=tools%2Fcall%20a__b');
    expect(toDynamicSamplingContext(trace, clientEntries)).toMatchObject({
      trace_id: trace.traceId,
      sampled: 'true',
      transaction: 'tools/call a__b',
      release: 'pml@1.0.0+abc',
    });
  });

  it('continues an inbound trace and passes its sentry baggage on unchanged', () => {
    const inbound = readInboundTrace({
      'sentry-trace': '0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1',
      baggage: 'other=1,sentry-trace_id=0af7651916cd43dd8448eb211c80319c,sentry-sampled=true',
    });
    expect(inbound).toMatchObject({ traceId: '0af7651916cd43dd8448eb211c80319c', sampled: true });
    const root = new RecordedSpan('tools/list', 'mcp.server', {}, inbound!.parentSpanId);
    const trace = createRequestTrace({ inbound, sampleRand: 0.9, sampleRate: 0.1, root });
    const meta = toTraceMeta(trace, trace.spanId, clientBaggage);
    expect(meta['sentry-trace']).toMatch(/^0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-1$/);
    expect(meta.baggage).toBe('sentry-trace_id=0af7651916cd43dd8448eb211c80319c,sentry-sampled=true');
    expect(trace.parentSpanId).toBe('b7ad6b7169203331');
  });

  it('refuses a malformed inbound trace', () => {
    expect(readInboundTrace({ 'sentry-trace': 'not-a-trace' })).toBeUndefined();
  });
});
