// The worker that runs the user's code: it gives the code `tools`, its `context` variables and a
// console, imports the code as a TypeScript module, and posts back the value as JSON. It shares its
// realm with the code, so it is convenience, not a boundary: the main thread checks all it sends.
// It takes what it needs from the realm before the code runs, so that code which patches JSON,
// console or postMessage breaks only its own output. Runs as a data: URL; must stay self-contained.
import type { LogLevel, RunMessage, ThrownInfo, WorkerToMain } from '../protocol.js';

declare const Deno: {
  inspect(value: unknown, options: { depth: number; colors: boolean; iterableLimit: number }): string;
  exit(code?: number): never;
};
declare const self: {
  postMessage(message: unknown): void;
  close(): void;
  addEventListener(type: string, listener: (event: WorkerEvent) => void): void;
};
interface WorkerEvent {
  data?: unknown;
  error?: unknown;
  message?: string;
  reason?: unknown;
  preventDefault(): void;
}
type Serialized = { json: string | undefined } | { problem: string; tooLarge?: boolean };

const post = self.postMessage.bind(self) as (message: WorkerToMain) => void;
const stringify = JSON.stringify;
const parse = JSON.parse;
const inspect = Deno.inspect;
const exitProcess = Deno.exit;
const closeWorker = self.close.bind(self);
const isArray = Array.isArray;
const objectKeys = Object.keys;
const apply = Reflect.apply;
const joinArray = Array.prototype.join;
const toText = String;
const isFiniteNumber = Number.isFinite;
const MapConstructor = Map;
const SetConstructor = Set;
const ErrorConstructor = Error;
const isIdentifier = RegExp.prototype.test.bind(/^[A-Za-z_$][\w$]*$/);
/** Array methods can be patched by the code: index writes and a joined copy cannot. */
const join = (items: string[], separator: string): string => apply(joinArray, items, [separator]) as string;
const schedule = setTimeout;
const PromiseConstructor = Promise;
const INSPECT_OPTIONS = { depth: 4, colors: false, iterableLimit: 100 };

let finished = false;
let outputCharsLeft = 0;
let nextCallId = 1;
let callsMade = 0;
let limits: RunMessage['limits'] | undefined;
// A record without a prototype: code that patches Map or Object.prototype cannot reach it.
const pendingCalls = Object.create(null) as Record<
  number,
  { resolve(value: unknown): void; reject(error: Error): void }
>;

function finish(message: WorkerToMain): void {
  if (finished) return;
  finished = true;
  post(message);
}

function describe(value: unknown): ThrownInfo {
  try {
    if (value instanceof ErrorConstructor)
      return { isError: true, name: toText(value.name), message: toText(value.message), stack: value.stack };
    return { isError: false, message: typeof value === 'string' ? value : inspect(value, INSPECT_OPTIONS) };
  } catch {
    return { isError: false, message: 'a value that cannot be read' };
  }
}

/** JSON text of `root`, or why it cannot be JSON, naming the path (`value.items[2].id`). */
function toJson(root: unknown, rootPath: string, maxChars: number): Serialized {
  const parts: string[] = [];
  const ancestors: { value: object; path: string }[] = [];
  let size = 0;
  const write = (text: string) => {
    size += text.length;
    if (size > maxChars) throw new RangeError(`over ${maxChars}`);
    parts[parts.length] = text;
  };
  const findAncestor = (object: object) => {
    for (let index = 0; index < ancestors.length; index += 1)
      if (ancestors[index]!.value === object) return ancestors[index];
    return undefined;
  };
  // Returns false for what JSON leaves out of an object (undefined).
  const visit = (input: unknown, path: string, key: string): boolean => {
    let value = input;
    const toJSON = (value as { toJSON?: unknown } | null | undefined)?.toJSON;
    if (typeof value === 'object' && value !== null && typeof toJSON === 'function')
      value = apply(toJSON as (key: string) => unknown, value, [key]);
    if (value === undefined) return false;
    if (value === null) return (write('null'), true);
    switch (typeof value) {
      case 'boolean':
        return (write(value ? 'true' : 'false'), true);
      case 'number':
        return (write(isFiniteNumber(value) ? toText(value) : 'null'), true);
      case 'string':
        return (write(stringify(value)), true);
      case 'bigint':
        throw new TypeError(`${path} is a BigInt (${value}n): JSON has none; return String(${path})`);
      case 'function':
      case 'symbol':
        throw new TypeError(`${path} is a ${typeof value}: return data, not ${typeof value}s`);
    }
    const object = value as object;
    const cycle = findAncestor(object);
    if (cycle) throw new TypeError(`${path} refers back to ${cycle.path} (a circular reference)`);
    if (object instanceof MapConstructor)
      throw new TypeError(`${path} is a Map: return Object.fromEntries(${path})`);
    if (object instanceof SetConstructor) throw new TypeError(`${path} is a Set: return [...${path}]`);
    ancestors[ancestors.length] = { value: object, path };
    if (isArray(object)) {
      write('[');
      for (let index = 0; index < object.length; index += 1) {
        if (index > 0) write(',');
        if (!visit(object[index], `${path}[${index}]`, toText(index))) write('null');
      }
      write(']');
    } else {
      write('{');
      let first = true;
      const names = objectKeys(object);
      for (let index = 0; index < names.length; index += 1) {
        const name = names[index]!;
        const mark = parts.length;
        const markSize = size;
        write(`${first ? '' : ','}${stringify(name)}:`);
        const childPath = isIdentifier(name) ? `${path}.${name}` : `${path}[${stringify(name)}]`;
        if (visit((object as Record<string, unknown>)[name], childPath, name)) first = false;
        else {
          parts.length = mark;
          size = markSize;
        }
      }
      write('}');
    }
    ancestors.length -= 1;
    return true;
  };
  try {
    return { json: visit(root, rootPath, '') ? join(parts, '') : undefined };
  } catch (error) {
    if (error instanceof RangeError && error.message === `over ${maxChars}`)
      return { problem: `${rootPath} is over ${maxChars} bytes of JSON`, tooLarge: true };
    if (error instanceof RangeError) return { problem: `${rootPath} is nested too deeply to be JSON` };
    return { problem: error instanceof Error ? error.message : `${rootPath} cannot be read` };
  }
}

function log(level: LogLevel, args: unknown[]): void {
  if (finished || outputCharsLeft <= 0) return;
  let text: string;
  try {
    const pieces: string[] = [];
    for (let index = 0; index < args.length; index += 1) {
      const arg = args[index];
      pieces[index] = typeof arg === 'string' ? arg : inspect(arg, INSPECT_OPTIONS);
    }
    text = join(pieces, ' ');
  } catch {
    text = '[a value that cannot be printed]';
  }
  // Cut here so a 50 MB string never crosses to the main thread; it counts exact bytes.
  const truncated = text.length > outputCharsLeft;
  if (truncated) text = text.slice(0, outputCharsLeft);
  outputCharsLeft = truncated ? 0 : outputCharsLeft - text.length;
  post({ t: 'log', level, text, truncated });
}

function buildConsole(): Record<string, unknown> {
  const at =
    (level: LogLevel) =>
    (...args: unknown[]) =>
      log(level, args);
  return {
    log: at('log'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    debug: at('debug'),
    trace: at('debug'),
    dir: (value: unknown) => log('log', [value]),
    table: (value: unknown) => log('log', [value]),
    assert: (condition: unknown, ...args: unknown[]) => {
      if (!condition) log('error', ['Assertion failed:', ...args]);
    },
    group: () => {},
    groupEnd: () => {},
    time: () => {},
    timeEnd: () => {},
    count: () => {},
  };
}

function callTool(target: { name?: string; server?: string; tool?: string }, label: string, args: unknown) {
  const current = limits;
  const rejected = (error: Error) => PromiseConstructor.reject(error);
  if (finished || !current) return rejected(new Error(`${label}: the run is over`));
  if (args !== undefined && (typeof args !== 'object' || args === null || isArray(args)))
    return rejected(
      new TypeError(`${label}(args) takes one object of arguments, like ${label}({ key: "value" })`),
    );
  if (callsMade + 1 > current.maxToolCalls) {
    post({ t: 'cap' });
    return rejected(
      new ErrorConstructor(
        `Tool call limit reached: a run may make at most ${current.maxToolCalls} tool calls ` +
          `(${label} would be call ${callsMade + 1}). Make fewer, larger calls, or split the work into several runs.`,
      ),
    );
  }
  const serialized = toJson(args ?? {}, 'args', current.maxToolArgsBytes);
  if ('problem' in serialized)
    return rejected(new TypeError(`${label}(args): ${serialized.problem}; pass JSON data`));
  callsMade += 1;
  const id = nextCallId++;
  return new PromiseConstructor((resolve, reject) => {
    pendingCalls[id] = { resolve, reject };
    post({ t: 'call', id, ...target, args: serialized.json ?? '{}' });
  });
}

function buildTools(): unknown {
  const byName = (name: unknown, args?: unknown) =>
    typeof name === 'string'
      ? callTool({ name }, `tools.call(${stringify(name)})`, args)
      : PromiseConstructor.reject(
          new TypeError('tools.call(name, args) takes the tool name as a string first'),
        );
  // `then` stays undefined so that `await tools.x` is not mistaken for a promise.
  const server = (serverName: string) =>
    new Proxy(Object.create(null) as object, {
      get: (_target, tool) =>
        typeof tool !== 'string' || tool === 'then'
          ? undefined
          : (args?: unknown) => callTool({ server: serverName, tool }, `tools.${serverName}.${tool}`, args),
    });
  return new Proxy(Object.create(null) as object, {
    get: (_target, name) => {
      if (name === 'call') return byName;
      return typeof name !== 'string' || name === 'then' ? undefined : server(name);
    },
  });
}

function settleCall(message: Record<string, unknown>): void {
  const pending = typeof message.id === 'number' ? pendingCalls[message.id] : undefined;
  if (!pending) return;
  delete pendingCalls[message.id as number];
  if (message.ok !== true) return pending.reject(new ErrorConstructor(toText(message.error)));
  try {
    pending.resolve(typeof message.json === 'string' ? parse(message.json) : undefined);
  } catch {
    pending.reject(new Error('the tool result is not valid JSON'));
  }
}

function isSyntaxError(error: unknown): boolean {
  return (
    error instanceof SyntaxError || (error instanceof TypeError && error.message.startsWith('SyntaxError:'))
  );
}

async function run(message: RunMessage): Promise<void> {
  limits = message.limits;
  outputCharsLeft = limits.maxOutputBytes;
  (globalThis as Record<string, unknown>).console = buildConsole();
  const reportExit = (code: unknown) =>
    finish({ t: 'fail', kind: 'exit', error: { isError: false, message: toText(code ?? 0) } });
  try {
    (Deno as { exit: unknown }).exit = (code?: number) => (reportExit(code), exitProcess(code));
    (globalThis as Record<string, unknown>).close = () => (reportExit('close()'), closeWorker());
  } catch {
    // A runtime whose Deno.exit cannot be replaced: an exit then ends in the run's timeout.
  }

  let entry: unknown;
  for (let index = 0; index < message.modules.length; index += 1) {
    try {
      entry = ((await import(message.modules[index]!)) as { default?: unknown }).default;
      break;
    } catch (error) {
      if (isSyntaxError(error) && index < message.modules.length - 1) continue;
      return finish({ t: 'fail', kind: isSyntaxError(error) ? 'syntax' : 'thrown', error: describe(error) });
    }
  }
  let value: unknown;
  try {
    if (typeof entry !== 'function') throw new Error('the code replaced the sandbox entry point');
    value = await (entry as (scope: unknown) => Promise<unknown>)({
      ...message.context,
      tools: buildTools(),
    });
  } catch (error) {
    return finish({ t: 'fail', kind: 'thrown', error: describe(error) });
  }
  // One macrotask, so that a rejection the code left unhandled is reported before the value.
  await new PromiseConstructor((resolve) => schedule(resolve, 0));
  const serialized = toJson(value, 'value', limits.maxResultBytes);
  if ('problem' in serialized) {
    const kind = serialized.tooLarge ? 'too_large' : 'result';
    return finish({
      t: 'fail',
      kind,
      error: { isError: false, message: serialized.tooLarge ? '' : serialized.problem },
    });
  }
  finish({ t: 'done', json: serialized.json });
}

self.addEventListener('message', (event) => {
  const message = event.data as Record<string, unknown> | null;
  if (message?.t === 'reply') return settleCall(message);
  if (message?.t === 'run' && !limits) void run(message as unknown as RunMessage);
});
self.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  finish({ t: 'fail', kind: 'unhandled', error: describe(event.reason) });
});
self.addEventListener('error', (event) => {
  event.preventDefault();
  finish({ t: 'fail', kind: 'uncaught', error: describe(event.error ?? event.message) });
});
post({ t: 'ready' });
