// The sandbox's main thread: the only code in the Deno process that talks to the host. The user's
// code runs in a worker (its own V8 isolate), so nothing it does can reach this realm: the token that
// starts every line to the host lives here only, and each limit is checked here again whatever the
// worker sends. Deno runs this file as its main module (a data: URL); it must stay self-contained.
import type {
  HostToSandbox,
  RunLimits,
  RunMessage,
  SandboxToHost,
  ThrownInfo,
  WorkerToMain,
} from '../protocol.js';

interface WorkerHandle {
  postMessage(message: unknown): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: { message?: string; preventDefault(): void }) => void) | null;
}

declare const Deno: {
  args: string[];
  stdin: { readable: AsyncIterable<Uint8Array> };
  stdout: { writeSync(data: Uint8Array): number };
  exit(code?: number): never;
};
declare const Worker: new (url: string, options: { type: 'module'; name: string }) => WorkerHandle;

// Exit codes the host reads when a run ends without its last message (see sandbox-process.ts).
const EXIT_HOST_GONE = 70;
const EXIT_STDOUT_FAILED = 71;
const EXIT_BAD_HOST_MESSAGE = 72;
/** Longest error text forwarded; a stack or message past this is noise. */
const MAX_ERROR_CHARS = 16_384;
const LOG_LEVELS = new Set(['log', 'info', 'warn', 'error', 'debug']);
const FAIL_KINDS = new Set(['syntax', 'thrown', 'unhandled', 'uncaught', 'result', 'exit', 'too_large']);

const READY_PREFIX = 'pml-sandbox-ready';
const encoder = new TextEncoder();
const token = [...crypto.getRandomValues(new Uint8Array(16))]
  .map((byte) => byte.toString(16).padStart(2, '0'))
  .join('');
const workerUrl = Deno.args[0];
if (workerUrl === undefined) Deno.exit(EXIT_BAD_HOST_MESSAGE);
const worker = new Worker(workerUrl, { type: 'module', name: 'pml-code' });

let limits: RunLimits | undefined;
let finished = false;
let toolCalls = 0;
let capReported = false;
let outputBytes = 0;
let outputTruncated = false;
let readyWritten = false;

function writeAll(bytes: Uint8Array): void {
  try {
    let offset = 0;
    while (offset < bytes.length) offset += Deno.stdout.writeSync(bytes.subarray(offset));
  } catch {
    Deno.exit(EXIT_STDOUT_FAILED);
  }
}

/** `<token> <byte length> <json>\n`: the length catches bytes the code wrote into the middle of a frame. */
function send(message: SandboxToHost): void {
  const body = encoder.encode(JSON.stringify(message));
  const head = encoder.encode(`${token} ${body.length} `);
  const frame = new Uint8Array(head.length + body.length + 1);
  frame.set(head);
  frame.set(body, head.length);
  frame[frame.length - 1] = 0x0a;
  writeAll(frame);
}

function finish(message: SandboxToHost): void {
  if (finished) return;
  finished = true;
  send(message);
  Deno.exit(0);
}

function toText(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, MAX_ERROR_CHARS) : '';
}

function toThrownInfo(value: unknown): ThrownInfo {
  const info = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  return {
    isError: info.isError === true,
    name: toText(info.name) || undefined,
    message: toText(info.message),
    stack: toText(info.stack) || undefined,
  };
}

function forwardLog(level: unknown, text: unknown, truncatedByWorker: unknown): void {
  if (!limits || typeof text !== 'string') return;
  if (outputTruncated) return;
  const safeLevel = typeof level === 'string' && LOG_LEVELS.has(level) ? level : 'log';
  let bytes = encoder.encode(text);
  const room = limits.maxOutputBytes - outputBytes;
  let truncated = truncatedByWorker === true;
  if (bytes.length > room) {
    bytes = bytes.subarray(0, Math.max(0, room));
    truncated = true;
  }
  outputBytes += bytes.length;
  outputTruncated = truncated;
  const kept = new TextDecoder().decode(bytes);
  send({ t: 'log', level: safeLevel as 'log', text: kept, ...(truncated ? { truncated } : {}) });
}

function reportCap(): void {
  if (capReported) return;
  capReported = true;
  send({ t: 'cap' });
}

function forwardCall(message: Record<string, unknown>): void {
  if (!limits) return;
  const { id, name, server, tool, args } = message;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || typeof args !== 'string') return;
  const refuse = (error: string) => worker.postMessage({ t: 'reply', id, ok: false, error });
  toolCalls += 1;
  if (toolCalls > limits.maxToolCalls) {
    reportCap();
    return refuse(`Tool call limit reached: a run may make at most ${limits.maxToolCalls} tool calls.`);
  }
  if (encoder.encode(args).length > limits.maxToolArgsBytes)
    return refuse(`The tool call's arguments are over ${limits.maxToolArgsBytes} bytes of JSON.`);
  const names = (value: unknown) => (typeof value === 'string' ? value : undefined);
  send({ t: 'call', id, name: names(name), server: names(server), tool: names(tool), args });
}

function onWorkerMessage(data: WorkerToMain | Record<string, unknown>): void {
  if (finished || typeof data !== 'object' || data === null) return;
  const message = data as Record<string, unknown>;
  switch (message.t) {
    case 'ready':
      // Only the worker's first word counts; later it may be the code speaking.
      if (!limits && !readyWritten) writeReady();
      return;
    case 'log':
      return forwardLog(message.level, message.text, message.truncated);
    case 'call':
      return forwardCall(message);
    case 'cap':
      return reportCap();
    case 'done': {
      const json = message.json;
      if (json !== undefined && typeof json !== 'string') return;
      const bytes = json === undefined ? 0 : encoder.encode(json).length;
      if (limits && bytes > limits.maxResultBytes)
        return finish({ t: 'fail', kind: 'too_large', error: { isError: false, message: String(bytes) } });
      return finish({ t: 'done', json });
    }
    case 'fail': {
      const kind = typeof message.kind === 'string' && FAIL_KINDS.has(message.kind) ? message.kind : 'thrown';
      return finish({ t: 'fail', kind: kind as 'thrown', error: toThrownInfo(message.error) });
    }
  }
}

function writeReady(): void {
  readyWritten = true;
  writeAll(encoder.encode(`${READY_PREFIX} ${token}\n`));
}

function onHostMessage(line: string): void {
  let message: HostToSandbox;
  try {
    message = JSON.parse(line) as HostToSandbox;
  } catch {
    Deno.exit(EXIT_BAD_HOST_MESSAGE);
  }
  if (message.t === 'run') {
    if (limits) Deno.exit(EXIT_BAD_HOST_MESSAGE); // one run per process, ever
    limits = (message as RunMessage).limits;
    // Before the worker sees the code: a host that sees the process die without this line knows
    // that nothing ran, and may try the run on another process.
    send({ t: 'started' });
  }
  worker.postMessage(message);
}

/** Lines from the host; the end of stdin means the host is gone, so the sandbox goes too. */
async function readHost(): Promise<void> {
  const decoder = new TextDecoder();
  let pending: string[] = [];
  try {
    for await (const chunk of Deno.stdin.readable) {
      let text = decoder.decode(chunk, { stream: true });
      let newline = text.indexOf('\n');
      while (newline !== -1) {
        pending.push(text.slice(0, newline));
        const line = pending.join('');
        pending = [];
        if (line !== '') onHostMessage(line);
        text = text.slice(newline + 1);
        newline = text.indexOf('\n');
      }
      if (text !== '') pending.push(text);
    }
  } finally {
    Deno.exit(EXIT_HOST_GONE);
  }
}

worker.onmessage = (event) => onWorkerMessage(event.data as WorkerToMain);
// An exception the worker did not catch itself (its own listeners normally do).
worker.onerror = (event) => {
  event.preventDefault();
  finish({ t: 'fail', kind: 'uncaught', error: { isError: false, message: toText(event.message) } });
};
void readHost();
