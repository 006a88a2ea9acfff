import { describe, expect, it } from 'vitest';
import { InvalidArgumentsError } from '../../errors/index.js';
import { ArgumentValidator } from './argument-validator.js';

const numberField = { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] };

function recordingLogger() {
  const warnings: { message: string; fields?: Record<string, unknown> }[] = [];
  return {
    warnings,
    warn: (message: string, fields?: Record<string, unknown>) => warnings.push({ message, fields }),
  };
}

describe('ArgumentValidator', () => {
  it('checks schemas in the 2020-12 dialect the v2 SDK emits', () => {
    const schema = { $schema: 'https://json-schema.org/draft/2020-12/schema', ...numberField };
    expect(new ArgumentValidator().findProblems(schema, { n: 'one' })).toEqual(['"n" must be number']);
  });

  it('checks draft-07 schemas, declared or not', () => {
    const validator = new ArgumentValidator();
    const declared = { $schema: 'http://json-schema.org/draft-07/schema#', ...numberField };
    expect(validator.findProblems(declared, {})).toEqual(['missing required property "n"']);
    // Tuple `items` is draft-07 only: 2020-12 refuses it, so the undeclared schema is read as draft-07.
    const tuple = { type: 'object', properties: { pair: { type: 'array', items: [{ type: 'string' }] } } };
    expect(validator.findProblems(tuple, { pair: [1] })).toEqual(['"pair.0" must be string']);
  });

  it('reads two schemas that share an $id', () => {
    const validator = new ArgumentValidator();
    const draft07 = 'http://json-schema.org/draft-07/schema#';
    const first = { $schema: draft07, $id: 'https://example.com/same.json', ...numberField };
    const second = {
      $schema: draft07,
      $id: 'https://example.com/same.json',
      type: 'object',
      required: ['m'],
    };
    expect(validator.findProblems(first, {})).toHaveLength(1);
    expect(validator.findProblems(second, {})).toEqual(['missing required property "m"']);
  });

  it.each([
    ['a misspelt type', { type: 'object', properties: { text: { type: 'strin' } } }],
    ['required as a string', { type: 'object', properties: { o: { type: 'object', required: 'x' } } }],
    ['a $ref to nowhere', { type: 'object', $ref: '#/$defs/nowhere' }],
  ])('lets a call through a schema with %s, and says so once', (_label, schema) => {
    const logger = recordingLogger();
    const validator = new ArgumentValidator(logger);
    expect(() => validator.assertFits('s__tool', schema, { text: 42 }, 's')).not.toThrow();
    validator.assertFits('s__tool', schema, {}, 's');
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]!.message).toMatch(/input schema of s__tool is not valid JSON Schema/);
    expect(logger.warnings[0]!.fields).toMatchObject({ tool: 's__tool', server: 's' });
  });

  it('refuses arguments that do not fit a readable schema, naming the field', () => {
    const logger = recordingLogger();
    const call = () => new ArgumentValidator(logger).assertFits('s__tool', numberField, { n: 'x' }, 's');
    expect(call).toThrow(InvalidArgumentsError);
    expect(call).toThrow(/Invalid arguments for s__tool: "n" must be number/);
    expect(logger.warnings).toEqual([]);
  });
});
