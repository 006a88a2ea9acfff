import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { DatabaseError } from '../errors/index.js';
import { toDatabaseError } from './to-database-error.js';

const place = {
  operation: 'tools.sync',
  store: 'postgres' as const,
  label: 'the PostgreSQL server at db:5432/pml',
};

/** An error as pg's protocol parser builds it from a server's ErrorResponse. */
function toServerError(code: string, message: string, detail?: string): pg.DatabaseError {
  const error = new pg.DatabaseError(message, message.length, 'error');
  Object.assign(error, { severity: 'ERROR', code, detail });
  return error;
}

function toSystemError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, syscall: 'connect' });
}

describe('toDatabaseError', () => {
  it('names the operation and a reason from the SQLSTATE, never the values the server quoted', () => {
    const cause = toServerError(
      '23505',
      'duplicate key value violates unique constraint "pml_tools_pkey"',
      'Key (server_id, name)=(secret-server, secret-tool) already exists.',
    );

    const error = toDatabaseError(cause, place);

    expect(error).toBeInstanceOf(DatabaseError);
    expect(error.message).toBe(
      'tools.sync failed on the PostgreSQL server at db:5432/pml: a row with the same key already exists [SQLSTATE 23505]',
    );
    expect(error.data).toEqual({ operation: 'tools.sync', store: 'postgres', sqlState: '23505' });
    expect(error.cause).toBe(cause);
    expect(JSON.stringify({ message: error.message, data: error.data })).not.toMatch(/secret/);
  });

  it('falls back to the class of a SQLSTATE it does not list, then to a generic reason', () => {
    expect(
      toDatabaseError(toServerError('22P02', 'invalid input syntax for type integer: "secret"'), place)
        .message,
    ).toBe(
      'tools.sync failed on the PostgreSQL server at db:5432/pml: the database rejected a value (invalid data) [SQLSTATE 22P02]',
    );
    expect(toDatabaseError(toServerError('P0001', 'raise: secret'), place).message).toContain(
      ': the database reported an error [SQLSTATE P0001]',
    );
  });

  it('explains socket errors by their code, even a five-letter one that looks like a SQLSTATE', () => {
    const refused = toDatabaseError(
      toSystemError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:5432'),
      place,
    );
    expect(refused.message).toContain(': the server refused the connection (is it running?) [ECONNREFUSED]');
    expect(refused.data).toEqual({ operation: 'tools.sync', store: 'postgres', systemCode: 'ECONNREFUSED' });

    expect(toDatabaseError(toSystemError('EPIPE', 'write EPIPE'), place).data).toMatchObject({
      systemCode: 'EPIPE',
    });
    const dualStack = new AggregateError([
      toSystemError('ECONNREFUSED', '::1'),
      toSystemError('ECONNREFUSED', '127.0.0.1'),
    ]);
    expect(toDatabaseError(dualStack, place).data).toMatchObject({ systemCode: 'ECONNREFUSED' });
  });

  it("maps pg's own code-less errors to fixed words and anything else to its class name only", () => {
    expect(toDatabaseError(new Error('Connection terminated unexpectedly'), place).message).toContain(
      ': the connection to the server was lost',
    );
    expect(toDatabaseError(new Error('Query read timeout'), place).message).toContain(
      ': the server did not answer in time',
    );
    expect(toDatabaseError(new Error('timeout exceeded when trying to connect'), place).message).toContain(
      ': connecting to the server timed out',
    );
    const unknown = toDatabaseError(new TypeError('cannot read secret of undefined'), place);
    expect(unknown.message).toBe(
      'tools.sync failed on the PostgreSQL server at db:5432/pml: an unexpected TypeError was thrown by the driver',
    );
  });

  it('passes a DatabaseError through unchanged', () => {
    const original = new DatabaseError('already explained', { operation: 'migrate', store: 'pglite' });
    expect(toDatabaseError(original, place)).toBe(original);
  });
});
