// Checks the `context` of a run before anything starts: each key becomes a const of the same name in
// the code, so it must be a plain identifier that is not a reserved word nor one of the sandbox's own
// names, and each value must be JSON. Returns the problems as sentences; none means it is fine.

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** Reserved words of strict-mode modules, plus names a binding cannot take or should not hide. */
const RESERVED = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do',
  'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in',
  'instanceof', 'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof',
  'var', 'void', 'while', 'with', 'yield', 'let', 'static', 'implements', 'interface', 'package',
  'private', 'protected', 'public', 'await', 'arguments', 'eval', 'undefined', 'NaN', 'Infinity',
]); // prettier-ignore
/** Names the sandbox binds itself. */
const SANDBOX_NAMES = new Set(['tools', 'console', 'globalThis', 'Deno', '__pmlScope']);

export function findContextProblems(context: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(context)) {
    if (!IDENTIFIER.test(name))
      problems.push(
        `context key ${JSON.stringify(name)} is not a plain identifier (letters, digits, _ or $, not starting with a digit)`,
      );
    else if (RESERVED.has(name)) problems.push(`context key "${name}" is a reserved word in JavaScript`);
    else if (SANDBOX_NAMES.has(name))
      problems.push(`context key "${name}" is a name the sandbox uses itself`);
    const jsonProblem = findJsonProblem(value);
    if (jsonProblem) problems.push(`context.${name} ${jsonProblem}`);
  }
  return problems;
}

function findJsonProblem(value: unknown): string | undefined {
  try {
    return JSON.stringify(value) === undefined ? 'is not a JSON value' : undefined;
  } catch (error) {
    return `is not JSON (${error instanceof Error ? error.message : String(error)})`;
  }
}
