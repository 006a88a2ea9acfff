// A span pml records itself for a sampled request: the root span of the request, or the span of
// one request it sends to a server. transaction-event.ts turns them into what Sentry receives.
import { ATTR_SENTRY_ORIGIN } from './attribute-names.js';
import { toRandomHex } from './random-ids.js';

type AttributeValue = string | number | boolean;

const nowSeconds = () => (performance.timeOrigin + performance.now()) / 1000;

export class RecordedSpan {
  readonly spanId = toRandomHex(8);
  readonly startedAt = nowSeconds();
  endedAt: number | undefined;
  status: 'ok' | string = 'ok';

  constructor(
    readonly name: string,
    readonly op: string,
    readonly attributes: Record<string, AttributeValue>,
    readonly parentSpanId: string | undefined,
  ) {}

  setAttribute(key: string, value: AttributeValue): void {
    this.attributes[key] = value;
  }

  /** Sentry's span status names: `internal_error` for a failed request or a tool error. */
  setError(): void {
    this.status = 'internal_error';
  }

  end(): void {
    this.endedAt ??= nowSeconds();
  }

  toJson(traceId: string) {
    const origin = this.attributes[ATTR_SENTRY_ORIGIN];
    return {
      span_id: this.spanId,
      trace_id: traceId,
      ...(this.parentSpanId ? { parent_span_id: this.parentSpanId } : {}),
      op: this.op,
      description: this.name,
      start_timestamp: this.startedAt,
      timestamp: this.endedAt ?? nowSeconds(),
      status: this.status,
      ...(typeof origin === 'string' ? { origin } : {}),
      data: { ...this.attributes, 'sentry.op': this.op } as Record<string, AttributeValue>,
    };
  }
}

/** Runs `work` in `span` (if any): a throw marks it failed; it ends either way and goes to `onEnd`. */
export async function runInSpan<T>(
  span: RecordedSpan | undefined,
  work: () => Promise<T>,
  onEnd: (span: RecordedSpan) => void,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    span?.setError();
    throw error;
  } finally {
    if (span) {
      span.end();
      onEnd(span);
    }
  }
}
