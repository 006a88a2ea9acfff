// Checks tool arguments against the tool's own JSON Schema before the call leaves the gateway, so the
// client gets a message that names the field instead of whatever the server says, if anything.
// A schema pml cannot read never stops a call: the server judges its own arguments then.
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020Module from 'ajv/dist/2020.js';
import { InvalidArgumentsError } from '../../errors/index.js';
import type { Logger } from '../../shared/logger.js';

const Ajv = AjvModule.default;
const Ajv2020 = Ajv2020Module.default;
// addUsedSchema: false, or two servers whose schemas share an `$id` would collide in ajv's registry.
const AJV_OPTIONS = { strict: false, allErrors: true, validateFormats: false, addUsedSchema: false } as const;
const DRAFT_07 = /^https?:\/\/json-schema\.org\/draft-0[467]\/schema#?$/;

interface Compiled {
  validate: ValidateFunction | null;
  /** Why the schema could not be read, when it could not. */
  problem?: string;
}

export class ArgumentValidator {
  // MCP 2025-11-25 reads a schema without `$schema` as 2020-12 (what the v2 SDK emits); servers on
  // older SDKs declare draft-07, and many hand-written schemas are draft-07 without saying so.
  private readonly draft2020 = new Ajv2020(AJV_OPTIONS);
  private readonly draft07 = new Ajv(AJV_OPTIONS);
  private readonly compiled = new WeakMap<object, Compiled>();
  private readonly reported = new WeakSet<object>();

  constructor(private readonly logger?: Pick<Logger, 'warn'>) {}

  /** Problems as readable lines; an empty list when the arguments fit (or the schema cannot compile). */
  findProblems(schema: object, args: unknown): string[] {
    const { validate } = this.compile(schema);
    if (validate === null || validate(args)) return [];
    return (validate.errors ?? []).map(toProblemLine);
  }

  /** Throws the InvalidArgumentsError a tools/call of `tool` answers with, naming every problem. */
  assertFits(tool: string, schema: object, args: unknown, serverId?: string): void {
    this.reportUnreadable(tool, schema, serverId);
    const problems = this.findProblems(schema, args);
    if (problems.length === 0) return;
    throw new InvalidArgumentsError(
      `Invalid arguments for ${tool}: ${problems.join('; ')}. Expected input schema: ${JSON.stringify(schema)}`,
      { tool, operation: 'tools/call', ...(serverId ? { serverId } : {}), problems },
    );
  }

  private compile(schema: object): Compiled {
    let compiled = this.compiled.get(schema);
    if (compiled) return compiled;
    const declared = (schema as { $schema?: unknown }).$schema;
    const dialects =
      typeof declared === 'string' && DRAFT_07.test(declared)
        ? [this.draft07]
        : declared === undefined
          ? [this.draft2020, this.draft07]
          : [this.draft2020];
    compiled = { validate: null };
    for (const ajv of dialects) {
      try {
        compiled = { validate: ajv.compile(schema) };
        break;
      } catch (error) {
        // A schema ajv cannot read is the server's business; let the server judge the arguments.
        compiled.problem ??= error instanceof Error ? error.message : String(error);
      }
    }
    this.compiled.set(schema, compiled);
    return compiled;
  }

  /** Says once per schema that pml skips its own check, so an operator knows why it never fires. */
  private reportUnreadable(tool: string, schema: object, serverId: string | undefined): void {
    const { validate, problem } = this.compile(schema);
    if (validate !== null || this.reported.has(schema)) return;
    this.reported.add(schema);
    this.logger?.warn(
      `the input schema of ${tool} is not valid JSON Schema; pml passes its calls on unchecked and the server judges the arguments`,
      { tool, ...(serverId ? { server: serverId } : {}), problem },
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
