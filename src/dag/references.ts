// `$OUTPUT[taskId]` references in task arguments: finding them (they imply dependencies) and
// replacing them with earlier tasks' outputs. A whole-string reference keeps the value's type; one
// inside a longer string is spliced in as text.

const REFERENCE = /\$OUTPUT\[([A-Za-z0-9_-]{1,64})\]((?:\.[A-Za-z0-9_-]+|\[\d+\])*)/g;
const WHOLE_REFERENCE = new RegExp(`^${REFERENCE.source}$`);
const MARKER = '$OUTPUT[';

export interface Reference {
  taskId: string;
  /** Keys and indexes after the task id: `.items[0].name` is ['items', 0, 'name']. */
  path: (string | number)[];
  /** As written, for messages. */
  text: string;
}

export class ReferenceError extends Error {}

/** Every reference in `value` (strings at any depth); throws on a `$OUTPUT[` that is not one. */
export function findReferences(value: unknown): Reference[] {
  const found: Reference[] = [];
  visitStrings(value, 'arguments', (text, where) => {
    let covered = 0;
    for (const match of text.matchAll(REFERENCE)) {
      found.push(toReference(match));
      covered += 1;
    }
    if (countMarkers(text) > covered) {
      throw new ReferenceError(
        `${where} has a malformed reference: write $OUTPUT[taskId] or $OUTPUT[taskId].path.to[0]`,
      );
    }
  });
  return found;
}

/** `value` with every reference replaced, reading outputs through `outputOf` (an earlier task's). */
export function resolveReferences(value: unknown, outputOf: (taskId: string) => unknown): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE_REFERENCE.exec(value);
    if (whole) return readPath(outputOf, toReference(whole));
    if (!value.includes(MARKER)) return value;
    return value.replace(REFERENCE, (...match) => {
      const part = readPath(outputOf, toReference(match as unknown as RegExpMatchArray));
      return typeof part === 'string' ? part : JSON.stringify(part);
    });
  }
  if (Array.isArray(value)) return value.map((item) => resolveReferences(item, outputOf));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, resolveReferences(item, outputOf)]),
    );
  }
  return value;
}

function readPath(outputOf: (taskId: string) => unknown, reference: Reference): unknown {
  let current = outputOf(reference.taskId);
  let walked = `$OUTPUT[${reference.taskId}]`;
  for (const step of reference.path) {
    // A tool's output is often JSON in a text block: a path that goes inside it parses it.
    if (typeof current === 'string') current = parseJsonText(current, walked, reference);
    if (typeof step === 'number') {
      if (!Array.isArray(current))
        throw new ReferenceError(`${reference.text}: ${walked} is ${describe(current)}, not a list`);
      if (step >= current.length)
        throw new ReferenceError(`${reference.text}: ${walked} has ${current.length} items, no [${step}]`);
      current = current[step];
      walked += `[${step}]`;
    } else {
      if (current === null || typeof current !== 'object' || Array.isArray(current))
        throw new ReferenceError(`${reference.text}: ${walked} is ${describe(current)}, it has no "${step}"`);
      if (!Object.hasOwn(current, step)) {
        const keys = Object.keys(current).slice(0, 10);
        throw new ReferenceError(
          `${reference.text}: ${walked} has no "${step}" (it has ${keys.length > 0 ? keys.map((key) => `"${key}"`).join(', ') : 'no keys'})`,
        );
      }
      current = (current as Record<string, unknown>)[step];
      walked += `.${step}`;
    }
  }
  return current;
}

function parseJsonText(text: string, walked: string, reference: Reference): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // The text itself stays out of the message: it is a tool's output, and messages reach Sentry.
    throw new ReferenceError(
      `${reference.text}: ${walked} is text that is not JSON (${text.length} characters), so it has no fields to read; use $OUTPUT[${reference.taskId}] for the whole text`,
    );
  }
}

function toReference(match: RegExpMatchArray): Reference {
  const path = [...(match[2] ?? '').matchAll(/\.([A-Za-z0-9_-]+)|\[(\d+)\]/g)].map((step) =>
    step[1] !== undefined ? step[1] : Number(step[2]),
  );
  return { taskId: match[1]!, path, text: match[0] };
}

/** Calls `visit` with every string in `value` and where it sits (`arguments.items[2].name`). */
function visitStrings(value: unknown, where: string, visit: (text: string, where: string) => void): void {
  if (typeof value === 'string') visit(value, where);
  else if (Array.isArray(value))
    value.forEach((item, index) => visitStrings(item, `${where}[${index}]`, visit));
  else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) visitStrings(item, `${where}.${key}`, visit);
}

function countMarkers(text: string): number {
  return text.split(MARKER).length - 1;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
