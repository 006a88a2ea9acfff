// The errors a run ends with, each saying what the code did and what to do instead. Every one
// carries the same structure for telemetry: the limits, the context's key names (never values) and
// the first 200 characters of the code, scrubbed of personal data and secrets.
import { CancelledError, SandboxExecutionError, TimeoutError } from '../../errors/index.js';
import { scrubString } from '../../pii/index.js';
import { findUserLocation, formatLocation, showLocation, toSyntaxProblem } from './describe-failure.js';
import type { FailKind, ThrownInfo } from './protocol.js';
import { describeExit, type ProcessEnd } from './sandbox-process.js';

const CODE_PREVIEW_CHARS = 200;
/** Exit codes of the main thread (in-sandbox/main-thread.ts). */
const EXIT_MEANINGS: Record<number, string> = {
  70: 'it lost its connection to the gateway',
  71: 'it could not write to its stdout',
  72: 'it received a message it did not understand',
};
/** RangeErrors V8 throws when memory outside the heap runs out (the process data limit). */
const OUT_OF_MEMORY_MESSAGES = [
  'Array buffer allocation failed',
  'Unable to grow instance memory',
  'Invalid string length',
  'Invalid typed array length',
];

export interface RunFacts {
  code: string;
  contextKeys: string[];
  timeoutMs: number;
  memoryLimitMb: number;
  maxToolCalls: number;
  maxResultBytes: number;
  /** Tool calls made before the failure, once the run has begun. */
  toolCalls?: number | undefined;
}

type Reason =
  | 'syntax'
  | 'thrown'
  | 'memory'
  | 'output_limit'
  | 'result'
  | 'tool_calls'
  | 'crashed'
  | 'protocol'
  | 'start'
  | 'context';

export function toSandboxError(reason: Reason, message: string, facts: RunFacts): SandboxExecutionError {
  return new SandboxExecutionError(message, {
    reason,
    timeoutMs: facts.timeoutMs,
    memoryLimitMb: facts.memoryLimitMb,
    contextKeys: facts.contextKeys,
    codePreview: scrubString(facts.code.slice(0, CODE_PREVIEW_CHARS)),
    ...(facts.toolCalls === undefined ? {} : { toolCalls: facts.toolCalls }),
  });
}

/** The sandbox reported how the run failed. `capHit`: the code went past maxToolCalls meanwhile. */
export function toFailError(
  kind: FailKind,
  error: ThrownInfo,
  capHit: boolean,
  facts: RunFacts,
): SandboxExecutionError {
  switch (kind) {
    case 'syntax': {
      const problem = toSyntaxProblem(error.message, facts.code);
      const where = problem.location
        ? ` at line ${problem.location.line}, column ${problem.location.column}: ${problem.text}.\n${showLocation(facts.code, problem.location)}\n`
        : ` at the end of the code: ${problem.text} (is a bracket, string or comment left open?). `;
      return toSandboxError(
        'syntax',
        `The code has a syntax error${where}Fix it and run the code again.`,
        facts,
      );
    }
    case 'result':
      return toSandboxError(
        'result',
        `The code's value cannot be returned as JSON: ${error.message}. ` +
          'Return plain data: objects, arrays, strings, numbers, booleans and null.',
        facts,
      );
    case 'too_large': {
      const size = /^\d+$/.test(error.message)
        ? `${toMebibytes(Number(error.message))} of JSON`
        : 'more JSON';
      return toSandboxError(
        'result',
        `The code returned ${size}, over the ${toMebibytes(facts.maxResultBytes)} limit. Return a summary ` +
          '(counts, the first items, the fields that matter) rather than everything.',
        facts,
      );
    }
    case 'exit':
      return toSandboxError(
        'crashed',
        `The code ended the sandbox (${error.message === 'close()' ? 'close()' : `Deno.exit(${error.message})`}) ` +
          'before its value came back. Return the value instead of exiting.',
        facts,
      );
    default:
      return toThrownError(kind, error, capHit, facts);
  }
}

function toThrownError(
  kind: FailKind,
  error: ThrownInfo,
  capHit: boolean,
  facts: RunFacts,
): SandboxExecutionError {
  const location = formatLocation(findUserLocation(error.stack, facts.code));
  // The sentences below end the message with their own period (messages often have one already).
  const message = error.message.replace(/\.+$/, '');
  const what = error.isError ? `${error.name ?? 'Error'}: ${message}` : message;
  if (capHit)
    return toSandboxError(
      'tool_calls',
      `The code went past the limit of ${facts.maxToolCalls} tool calls in one run: ${what}${location}. ` +
        'Make fewer, larger calls (one that returns a list, not one per item), or split the work into several runs.',
      facts,
    );
  if (error.name === 'RangeError' && OUT_OF_MEMORY_MESSAGES.some((text) => error.message.includes(text)))
    return toMemoryError(facts, ` (${error.message})`);
  const thrown = error.isError ? `threw ${what}` : `threw ${what}, which is not an Error`;
  const advice = error.isError
    ? 'Catch the error in the code, or fix what causes it.'
    : 'Throw new Error("…") so that the message says what went wrong.';
  const sentences: Record<string, string> = {
    unhandled: `A promise in the code was rejected and nothing handled it: ${what}${location}. Await the promise, or add .catch(), so that the code decides what happens.`,
    uncaught: `The code ${thrown} in a callback (a timer or an event)${location}. Catch errors inside the callback.`,
  };
  return toSandboxError('thrown', sentences[kind] ?? `The code ${thrown}${location}. ${advice}`, facts);
}

/** The process ended before the run's last message. */
export function toEndError(end: ProcessEnd, facts: RunFacts): SandboxExecutionError {
  if (end.outOfMemory) return toMemoryError(facts, '');
  const problem = end.stdoutProblem;
  if (problem?.kind === 'garbage')
    return toSandboxError(
      'protocol',
      `The code wrote to the sandbox's stdout directly (it began ${JSON.stringify(problem.preview.slice(0, 60))}); ` +
        "stdout carries the sandbox's own messages, so the run was stopped. Print with console.log instead.",
      facts,
    );
  if (problem)
    return toSandboxError(
      'protocol',
      `The sandbox's messages to the gateway were corrupted (${problem.kind.replace('_', ' ')}), most likely by ` +
        'code writing to stdout directly while the sandbox was reporting. Print with console.log instead.',
      facts,
    );
  const meaning = end.exitCode === null ? undefined : EXIT_MEANINGS[end.exitCode];
  const why =
    meaning ?? (end.signal ? `it was killed by ${end.signal} from outside the gateway` : describeExit(end));
  const lastWords = toLastWords(end.stderrTail);
  return toSandboxError(
    end.exitCode === 72 ? 'protocol' : 'crashed',
    `The sandbox process stopped before the code finished: ${why}${lastWords ? ` (its last words: ${lastWords.slice(0, 300)})` : ''}. ` +
      'Run the code again; if it happens again, the code may be what stops it.',
    facts,
  );
}

/** Deno's `error: ...` line if it printed one, else its last line; never the data: URLs of its scripts. */
function toLastWords(stderr: string): string | undefined {
  const lines = stderr
    .replace(/data:[^\s)]+/g, '<sandbox script>')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.find((line) => line.startsWith('error:')) ?? lines.at(-1);
}

function toMemoryError(facts: RunFacts, detail: string): SandboxExecutionError {
  return toSandboxError(
    'memory',
    `The code ran out of memory${detail}: the sandbox allows ${facts.memoryLimitMb} MB. ` +
      'Work on less data at once (page through results, keep only the fields you need).',
    facts,
  );
}

export function toTimeoutError(facts: RunFacts, waitedForSlot: boolean): TimeoutError {
  const waited = waitedForSlot ? ', including the time it waited for a free sandbox,' : '';
  return new TimeoutError(
    `The code ran longer than ${facts.timeoutMs} ms${waited} and was stopped. Make a run do less ` +
      '(fewer or smaller tool calls, no waiting loops), or allow it more time with timeout_ms.',
    { operation: 'execute_code', limitMs: facts.timeoutMs },
  );
}

export function toCancelledError(why: string): CancelledError {
  return new CancelledError(`The code run was cancelled: ${why}.`, { operation: 'execute_code' });
}

function toMebibytes(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB`
    : `${Math.ceil(bytes / 1024)} KiB`;
}
