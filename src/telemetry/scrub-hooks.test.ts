// What leaves in a transaction pml built: every name, tag, attribute and sampling entry scrubbed,
// its own ids and timestamps untouched.
import { describe, expect, it } from 'vitest';
import { RecordedSpan } from './recorded-span.js';
import { createRequestTrace } from './request-trace.js';
import { scrubTransaction } from './scrub-hooks.js';
import { buildTransactionEvent } from './transaction-event.js';

function buildEvent(secret: string) {
  const root = new RecordedSpan('tools/call a__b', 'mcp.server', { 'mcp.request.id': secret }, undefined);
  const trace = createRequestTrace({ inbound: undefined, sampleRand: 0.1, sampleRate: 1, root });
  trace.tags.tool = `tool ${secret}`;
  const child = new RecordedSpan(`tools/call ${secret}`, 'mcp.client', { 'mcp.server.id': 'a' }, root.spanId);
  child.end();
  trace.children.push(child);
  root.end();
  return buildTransactionEvent(trace, root, {
    release: 'pml@1',
    environment: 'test',
    dynamicSamplingContext: { trace_id: trace.traceId, transaction: `x ${secret}` },
  });
}

describe('scrubTransaction', () => {
  it('filters secrets everywhere and keeps ids, timestamps and structure', () => {
    for (let round = 0; round < 2; round++) {
      // The second round runs on what the memo remembers.
      const event = buildEvent('alice@example.com');
      const scrubbed = scrubTransaction(event)!;
      const text = JSON.stringify(scrubbed);
      expect(text).not.toContain('alice@example.com');
      expect(scrubbed.tags.tool).toBe('tool [Filtered:email]');
      expect(scrubbed.spans[0]?.description).toBe('tools/call [Filtered:email]');
      expect((scrubbed.contexts.trace.data as Record<string, unknown>)['mcp.request.id']).toBe(
        '[Filtered:email]',
      );
      expect(scrubbed.sdkProcessingMetadata.dynamicSamplingContext.transaction).toBe('x [Filtered:email]');
      expect(scrubbed.event_id).toBe(event.event_id);
      expect(scrubbed.contexts.trace.trace_id).toBe(event.contexts.trace.trace_id);
      expect(scrubbed.spans[0]?.span_id).toBe(event.spans[0]?.span_id);
      expect(scrubbed.start_timestamp).toBe(event.start_timestamp);
      expect((scrubbed.spans[0]?.data as Record<string, unknown>)['mcp.server.id']).toBe('a');
    }
  });
});
