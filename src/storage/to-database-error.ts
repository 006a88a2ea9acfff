// Turns whatever a driver threw into a DatabaseError that names the operation and a generic reason
// taken from the SQLSTATE (or the socket error code), never the driver's message: PostgreSQL puts
// values in it ("Key (id)=(...) already exists"). The driver's error stays reachable as `cause`.
import { DatabaseError } from '../errors/index.js';
import type { StoreKind } from './types.js';

const SQLSTATE_REASONS: Record<string, string> = {
  '57P01': 'the server is shutting down or restarting and closed the connection',
  '57P02': 'the server crashed and closed the connection',
  '57P03': 'the server is starting up and does not accept connections yet',
  '57014': 'the query was cancelled (it ran past the statement timeout)',
  '3D000': 'the database does not exist',
  '28000': 'the server refused the login: check the user in DATABASE_URL',
  '28P01': 'the server refused the password in DATABASE_URL',
  '42P01': 'a table pml needs is missing (was the schema changed by hand?)',
  '42501': 'the database user lacks a privilege this operation needs',
  '23505': 'a row with the same key already exists',
  '40001': 'the transaction conflicted with a concurrent one',
  '40P01': 'the transaction deadlocked with a concurrent one',
  '53100': "the database's disk is full",
  '53300': 'the server has too many connections',
};

// The first two characters of a SQLSTATE are its class.
const SQLSTATE_CLASS_REASONS: Record<string, string> = {
  '08': 'the connection to the server failed',
  '22': 'the database rejected a value (invalid data)',
  '23': 'the database rejected a row (constraint violation)',
  '25': 'the transaction was in an invalid state',
  '28': 'the server refused the login in DATABASE_URL',
  '40': 'the transaction was rolled back by the server',
  '42': 'the database rejected the statement (a schema mismatch or a bug in pml)',
  '53': 'the database ran out of resources (disk, memory or connections)',
  '54': 'the statement exceeded a database limit',
  '57': 'an operator or the server interrupted the query',
  '58': 'the database hit a system (I/O) error',
  XX: 'the database reported an internal error',
};

const SYSTEM_CODE_REASONS: Record<string, string> = {
  ECONNREFUSED: 'the server refused the connection (is it running?)',
  ECONNRESET: 'the connection to the server was reset',
  EPIPE: 'the connection to the server was closed',
  ETIMEDOUT: 'the connection to the server timed out',
  ENOTFOUND: "the server's host name could not be resolved",
  EAI_AGAIN: "the server's host name could not be resolved (DNS did not answer)",
  EHOSTUNREACH: 'the server is unreachable',
  ENETUNREACH: 'the network is unreachable',
};

// pg's own errors carry no code; their messages hold no values, but we still map them to our words.
const DRIVER_MESSAGE_REASONS: [RegExp, string][] = [
  [/timeout exceeded when trying to connect|connection timeout/i, 'connecting to the server timed out'],
  [/query read timeout/i, 'the server did not answer in time'],
  [/connection terminated|not queryable|connection ended/i, 'the connection to the server was lost'],
];

export interface ErrorPlace {
  operation: string;
  store: StoreKind;
  /** Where the database is, for people: `the PostgreSQL server at db:5432/pml`. */
  label: string;
}

export function toDatabaseError(error: unknown, place: ErrorPlace): DatabaseError {
  if (error instanceof DatabaseError) return error;
  const { reason, sqlState, systemCode } = resolveReason(error);
  const suffix = sqlState ? ` [SQLSTATE ${sqlState}]` : systemCode ? ` [${systemCode}]` : '';
  return new DatabaseError(
    `${place.operation} failed on ${place.label}: ${reason}${suffix}`,
    {
      operation: place.operation,
      store: place.store,
      ...(sqlState ? { sqlState } : {}),
      ...(systemCode ? { systemCode } : {}),
    },
    { cause: error },
  );
}

interface Reason {
  reason: string;
  sqlState?: string;
  systemCode?: string;
}

function resolveReason(error: unknown): Reason {
  if (!(error instanceof Error)) return { reason: 'an unexpected non-error value was thrown' };
  const code = readCode(error);
  // Server errors carry a severity; socket errors (whose codes can also be five letters: EPIPE) do not.
  if (code && 'severity' in error && /^[0-9A-Z]{5}$/.test(code)) {
    const reason =
      SQLSTATE_REASONS[code] ?? SQLSTATE_CLASS_REASONS[code.slice(0, 2)] ?? 'the database reported an error';
    return { reason, sqlState: code };
  }
  if (code && SYSTEM_CODE_REASONS[code]) return { reason: SYSTEM_CODE_REASONS[code], systemCode: code };
  const known = DRIVER_MESSAGE_REASONS.find(([pattern]) => pattern.test(error.message));
  if (known) return { reason: known[1] };
  if (code && /^E[A-Z0-9_]+$/.test(code)) return { reason: 'a system error occurred', systemCode: code };
  return { reason: `an unexpected ${error.name} was thrown by the driver` };
}

/** The error's code, or the first inner one (Node reports a refused dual-stack connect as AggregateError). */
function readCode(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code !== '') return code;
  if (error instanceof AggregateError) {
    const inner = error.errors.find((item): item is Error => item instanceof Error);
    return inner ? readCode(inner) : undefined;
  }
  return undefined;
}
