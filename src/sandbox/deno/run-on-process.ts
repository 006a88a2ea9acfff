// Drives one run on one attached process: sends the code, answers its tool calls through the
// request's callTool, gathers its console output under the byte limit, and settles on the first of
// its value, its failure, the process's end, or the run's signal (timeout, cancellation). It never
// trusts the sandbox's counts: tool calls and output bytes are counted here again.
import type { CodeLog, ToolCallRequest } from '../code-runner.js';
import { toErrorMessage } from '../../errors/index.js';
import type { FailKind, RunLimits, SandboxToHost, ThrownInfo, ToolCallMessage } from './protocol.js';
import type { ProcessEnd, SandboxProcess } from './sandbox-process.js';

export interface RunInput {
  modules: string[];
  context: Record<string, unknown>;
  limits: RunLimits;
  callTool(request: ToolCallRequest, signal: AbortSignal): Promise<unknown>;
}

/** What the run saw, whatever its outcome; shared across a retry (which happens before any of it). */
export interface RunRecord {
  logs: CodeLog[];
  logBytes: number;
  logsTruncated: boolean;
  toolCalls: number;
  capHit: boolean;
}

export type RunOutcome =
  | { kind: 'done'; value: unknown }
  | { kind: 'failed'; fail: FailKind; error: ThrownInfo }
  /** The process ended; `started` says whether the code had begun (a retry is safe when not). */
  | { kind: 'ended'; end: ProcessEnd; started: boolean }
  | { kind: 'protocol'; problem: string }
  | { kind: 'aborted' };

export function createRunRecord(): RunRecord {
  return { logs: [], logBytes: 0, logsTruncated: false, toolCalls: 0, capHit: false };
}

export function runOnProcess(
  process: SandboxProcess,
  input: RunInput,
  record: RunRecord,
  signal: AbortSignal,
): Promise<RunOutcome> {
  return new Promise<RunOutcome>((resolve) => {
    const toolCallsAbort = new AbortController();
    let started = false;
    let settled = false;
    const settle = (outcome: RunOutcome) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      toolCallsAbort.abort(new Error('the code run is over'));
      process.kill();
      resolve(outcome);
    };
    const onAbort = () => settle({ kind: 'aborted' });
    if (signal.aborted) return settle({ kind: 'aborted' });
    signal.addEventListener('abort', onAbort, { once: true });

    const answer = (message: ToolCallMessage) => {
      record.toolCalls += 1;
      if (record.toolCalls > input.limits.maxToolCalls)
        return settle({ kind: 'protocol', problem: 'the sandbox forwarded more tool calls than the limit' });
      const reply = (result: { ok: true; json?: string } | { ok: false; error: string }) => {
        if (!settled) process.send({ t: 'reply', id: message.id, ...result });
      };
      const request = toToolCallRequest(message);
      if (typeof request === 'string') return reply({ ok: false, error: request });
      Promise.resolve()
        .then(() => input.callTool(request, toolCallsAbort.signal))
        .then(
          (value) => {
            const json = toJsonOrProblem(value);
            reply(json.ok ? { ok: true, json: json.text } : { ok: false, error: json.problem });
          },
          (error: unknown) => reply({ ok: false, error: toErrorMessage(error) }),
        );
    };

    const onMessage = (message: SandboxToHost) => {
      if (settled) return;
      switch (message.t) {
        case 'started':
          started = true;
          return;
        case 'log':
          return keepLog(record, input.limits.maxOutputBytes, message);
        case 'call':
          return answer(message);
        case 'cap':
          record.capHit = true;
          return;
        case 'done':
          return settle(toDoneOutcome(message.json));
        case 'fail':
          return settle({ kind: 'failed', fail: message.kind, error: message.error });
        default:
          return settle({ kind: 'protocol', problem: 'the sandbox sent a message of an unknown kind' });
      }
    };

    process.attach({
      onMessage,
      onEnd: (end) => settle({ kind: 'ended', end, started }),
    });
    process.send({ t: 'run', modules: input.modules, context: input.context, limits: input.limits });
  });
}

function keepLog(record: RunRecord, maxBytes: number, message: Extract<SandboxToHost, { t: 'log' }>): void {
  if (message.truncated) record.logsTruncated = true;
  if (typeof message.text !== 'string') return;
  const room = maxBytes - record.logBytes;
  const bytes = Buffer.byteLength(message.text);
  if (bytes > room) record.logsTruncated = true;
  if (room <= 0) return;
  const text = bytes > room ? Buffer.from(message.text).subarray(0, room).toString('utf8') : message.text;
  record.logBytes += Math.min(bytes, room);
  if (text !== '' || !message.truncated) record.logs.push({ level: message.level, text });
}

function toToolCallRequest(message: ToolCallMessage): ToolCallRequest | string {
  let args: unknown;
  try {
    args = JSON.parse(message.args);
  } catch {
    return 'the tool call arguments are not valid JSON';
  }
  if (typeof args !== 'object' || args === null || Array.isArray(args))
    return 'a tool call takes one object of arguments';
  const argsObject = args as Record<string, unknown>;
  if (typeof message.name === 'string') return { name: message.name, args: argsObject };
  if (typeof message.server === 'string' && typeof message.tool === 'string')
    return { server: message.server, tool: message.tool, args: argsObject };
  return 'a tool call needs a tool name';
}

function toJsonOrProblem(value: unknown): { ok: true; text?: string } | { ok: false; problem: string } {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? { ok: true } : { ok: true, text };
  } catch (error) {
    return { ok: false, problem: `the tool's result cannot be sent as JSON (${toErrorMessage(error)})` };
  }
}

function toDoneOutcome(json: string | undefined): RunOutcome {
  if (json === undefined) return { kind: 'done', value: undefined };
  try {
    return { kind: 'done', value: JSON.parse(json) as unknown };
  } catch {
    return { kind: 'protocol', problem: 'the value the sandbox sent is not valid JSON' };
  }
}
