// Checks tool arguments against the tool's own JSON Schema before the call leaves the gateway, so the
// client gets a message that names the field instead of whatever the server says, if anything.
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import { InvalidArgumentsError } from '../../errors/index.js';

const Ajv = AjvModule.default;

export class ArgumentValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  private readonly compiled = new WeakMap<object, ValidateFunction | null>();

  /** Problems as readable lines; an empty list when the arguments fit (or the schema cannot compile). */
  findProblems(schema: object, args: unknown): string[] {
    let validate = this.compiled.get(schema);
    if (validate === undefined) {
      try {
        validate = this.ajv.compile(schema);
      } catch {
        // A schema ajv cannot read is the server's business; let the server judge the arguments.
        validate = null;
      }
      this.compiled.set(schema, validate);
    }
    if (validate === null || validate(args)) return [];
    return (validate.errors ?? []).map(toProblemLine);
  }

  /** Throws the InvalidArgumentsError a tools/call of `tool` answers with, naming every problem. */
  assertFits(tool: string, schema: object, args: unknown, serverId?: string): void {
    const problems = this.findProblems(schema, args);
    if (problems.length === 0) return;
    throw new InvalidArgumentsError(
      `Invalid arguments for ${tool}: ${problems.join('; ')}. Expected input schema: ${JSON.stringify(schema)}`,
      { tool, operation: 'tools/call', ...(serverId ? { serverId } : {}), problems },
    );
  }
}

function toProblemLine(error: ErrorObject): string {
  const where = error.instancePath ? `"${error.instancePath.slice(1).replaceAll('/', '.')}"` : 'arguments';
  if (error.keyword === 'required')
    return `missing required property "${String(error.params.missingProperty)}"`;
  if (error.keyword === 'additionalProperties')
    return `unexpected property "${String(error.params.additionalProperty)}"`;
  return `${where} ${error.message ?? 'is invalid'}`;
}
