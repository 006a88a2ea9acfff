// A real Sentry envelope endpoint on 127.0.0.1: telemetry tests point SENTRY_DSN at it and assert on
// exactly what the real @sentry/node SDK posts, so nothing about the SDK's wire behaviour is mocked.
import { createServer, IncomingMessage, type ServerResponse } from 'node:http';
import * as net from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface ReceivedItem {
  type: string;
  header: Record<string, unknown>;
  payload: unknown; // parsed JSON for the JSON item types, else the raw string
  raw: string;
}

export interface ReceivedEnvelope {
  header: Record<string, unknown>;
  items: ReceivedItem[];
  rawBody: string;
  path: string;
}

export type ReceiverBehaviour = 'ok' | 'error500' | 'rateLimit429' | { delayMs: number };

export interface SentryReceiver {
  dsn: string;
  envelopes: ReceivedEnvelope[];
  items(type?: string): ReceivedItem[];
  events(): Record<string, unknown>[];
  transactions(): Record<string, unknown>[];
  spans(): Record<string, unknown>[];
  rawText(): string;
  waitFor<T>(probe: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  setBehaviour(b: ReceiverBehaviour): void;
  /** How many envelope requests got their HTTP answer (a delayed one counts once answered). */
  answered(): number;
  clear(): void;
  close(): Promise<void>;
}

const PUBLIC_KEY = 'publickey';
const RATE_LIMITED = { 'retry-after': '60', 'x-sentry-rate-limits': '60::organization' };
// Only these carry JSON we want to assert on; anything else (attachments, unknown types) stays raw.
const JSON_TYPES = new Set(['event', 'transaction', 'span', 'session', 'sessions', 'client_report']);

// An in-process SDK instruments every http server, so each POST we receive would become a transaction the
// SDK posts back to us: an endless loop. Sentry skips requests that already carry its "instrumented" mark.
const SENTRY_INSTRUMENTED = Symbol.for('sentry_http_server_instrumented');
class UntracedRequest extends IncomingMessage {
  constructor(socket: net.Socket) {
    super(socket);
    Object.defineProperty(this, SENTRY_INSTRUMENTED, { value: true, writable: true });
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// A short label for an event in timeout messages: its exception values, else its message.
function describeEvent(event: Record<string, unknown>): unknown {
  const values = (event.exception as { values?: { type?: unknown; value?: unknown }[] } | undefined)?.values;
  return values ? values.map((v) => `${String(v.type)}: ${String(v.value)}`).join(' / ') : event.message;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text; // a malformed payload is still evidence; keep it as text rather than losing it
  }
}

// Works on bytes, not text, because an item header's `length` counts bytes of a payload that may be binary.
function parseEnvelope(body: Buffer, path: string): ReceivedEnvelope {
  let pos = 0;
  const readLine = (): Buffer => {
    let end = body.indexOf(0x0a, pos);
    if (end < 0) end = body.length;
    const line = body.subarray(pos, end);
    pos = end + 1;
    return line;
  };
  const header: unknown = JSON.parse(readLine().toString('utf8'));
  if (!isRecord(header)) throw new Error('envelope header is not a JSON object');
  const items: ReceivedItem[] = [];
  while (pos < body.length) {
    const headerLine = readLine();
    if (headerLine.length === 0) continue; // tolerate a trailing newline
    const itemHeader: unknown = JSON.parse(headerLine.toString('utf8'));
    if (!isRecord(itemHeader)) throw new Error('item header is not a JSON object');
    let payload: Buffer;
    if (typeof itemHeader.length === 'number') {
      payload = body.subarray(pos, pos + itemHeader.length);
      pos += itemHeader.length;
      if (body[pos] === 0x0a) pos += 1;
    } else {
      payload = readLine();
    }
    const type = String(itemHeader.type);
    const raw = payload.toString('utf8');
    items.push({ type, header: itemHeader, payload: JSON_TYPES.has(type) ? parseJson(raw) : raw, raw });
  }
  return { header, items, rawBody: body.toString('utf8'), path };
}

function sentryKey(req: IncomingMessage, url: URL): string | undefined {
  const fromQuery = url.searchParams.get('sentry_key');
  if (fromQuery) return fromQuery;
  return /sentry_key=([^,\s]+)/.exec(String(req.headers['x-sentry-auth'] ?? ''))?.[1];
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return (server.address() as net.AddressInfo).port;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  return req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
}

export async function startSentryReceiver(options: { projectId?: string } = {}): Promise<SentryReceiver> {
  const projectId = options.projectId ?? '42';
  const envelopes: ReceivedEnvelope[] = [];
  const rawBodies: string[] = []; // every body, parseable or not, so leak checks see everything posted
  const problems: string[] = []; // rejected requests, surfaced in waitFor's timeout message
  let behaviour: ReceiverBehaviour = 'ok';

  let answered = 0;
  // clear() starts a new generation: answers held back from before it are not counted after it.
  let generation = 0;
  const respond = (res: ServerResponse, sentIn = generation): void => {
    if (sentIn === generation) answered++;
    if (behaviour === 'error500') res.writeHead(500).end('{"detail":"internal error"}');
    else if (behaviour === 'rateLimit429') res.writeHead(429, RATE_LIMITED).end('{"detail":"rate limited"}');
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const refuse = (status: number, problem: string): void => {
      problems.push(problem);
      res.writeHead(status).end();
    };
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (err) {
      return refuse(400, `unreadable body on ${req.url}: ${String(err)}`);
    }
    rawBodies.push(body.toString('utf8'));
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'POST' || url.pathname !== `/api/${projectId}/envelope/`) {
      return refuse(404, `unexpected ${req.method} ${req.url}`);
    }
    if (sentryKey(req, url) !== PUBLIC_KEY) return refuse(401, `missing or wrong sentry_key on ${req.url}`);
    try {
      envelopes.push(parseEnvelope(body, req.url ?? ''));
    } catch (err) {
      return refuse(400, `unparseable envelope: ${String(err)}`);
    }
    // Recorded before any delay, so a test can see the envelope arrived while the SDK still waits.
    // unref: a held response must not keep the process alive; after close() its write is simply dropped.
    const arrivedIn = generation;
    if (typeof behaviour === 'object') setTimeout(() => respond(res, arrivedIn), behaviour.delayMs).unref();
    else respond(res);
  };

  const server = createServer({ IncomingMessage: UntracedRequest }, (req, res) => void handle(req, res));
  const port = await listen(server);

  const items = (type?: string): ReceivedItem[] =>
    envelopes.flatMap((e) => e.items).filter((i) => type === undefined || i.type === type);
  const payloads = (type: string): Record<string, unknown>[] =>
    items(type)
      .map((i) => i.payload)
      .filter(isRecord);
  // Streamed (v2) span items wrap many spans in `items`; a lone span object is taken as itself.
  const spans = (): Record<string, unknown>[] =>
    payloads('span').flatMap((p) => (Array.isArray(p.items) ? p.items.filter(isRecord) : [p]));

  const summary = (): string => {
    const types = items().map((i) => i.type);
    const lines = [
      `${envelopes.length} envelope(s); item types: ${types.length ? types.join(', ') : '(none)'}`,
      `events: ${JSON.stringify(payloads('event').map(describeEvent))}`,
      `transactions: ${JSON.stringify(payloads('transaction').map((t) => t.transaction))}`,
      `spans: ${JSON.stringify(spans().map((s) => s.name ?? s.description))}`,
    ];
    if (problems.length) lines.push(`problems: ${problems.join('; ')}`);
    return lines.join('\n');
  };

  return {
    dsn: `http://${PUBLIC_KEY}@127.0.0.1:${port}/${projectId}`,
    envelopes,
    items,
    events: () => payloads('event'),
    transactions: () => payloads('transaction'),
    spans,
    rawText: () => rawBodies.join('\n'),
    answered: () => answered,
    async waitFor<T>(probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      let lastError: unknown;
      for (;;) {
        try {
          const result = probe();
          if (result !== undefined && result !== false) return result;
        } catch (err) {
          lastError = err; // lets a probe use expect(); the last failure explains a timeout
        }
        if (Date.now() >= deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const cause = lastError === undefined ? '' : `\nlast probe error: ${String(lastError)}`;
      throw new Error(`Sentry receiver: condition not met within ${timeoutMs} ms\n${summary()}${cause}`);
    },
    setBehaviour(b) {
      behaviour = b;
    },
    clear() {
      generation++;
      answered = 0;
      envelopes.length = 0;
      rawBodies.length = 0;
      problems.length = 0;
    },
    async close() {
      // The SDK's keep-alive agent holds sockets open, which would stall server.close() forever.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// Binds and releases an ephemeral port, so a "dead DSN" points at a port nothing is listening on.
export async function reserveDeadPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
