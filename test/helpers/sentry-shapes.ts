// The parts of Sentry's envelope payloads the span-tree and error tests read: transactions with
// their child spans, and error events with their exception chain and contexts.
export type ReceivedSpan = {
  op?: string;
  description?: string;
  span_id?: string;
  parent_span_id?: string;
  data?: Record<string, unknown>;
};

export type ReceivedTransaction = {
  transaction?: string;
  tags?: Record<string, string>;
  contexts?: { trace?: { span_id?: string; data?: Record<string, unknown> } };
  spans?: ReceivedSpan[];
};

export type ReceivedEvent = {
  exception?: { values?: { type?: string; value?: string }[] };
  contexts?: Record<string, Record<string, unknown>>;
};

/** Sentry lists chained causes first; the thrown exception is the last value. */
export const lastException = (event: ReceivedEvent) => event.exception?.values?.at(-1);
