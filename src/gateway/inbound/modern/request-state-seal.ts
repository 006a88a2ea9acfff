// The requestState pml hands a 2026-07-28 client is signed (HMAC-SHA256, bound to the method,
// expiring): the client is untrusted, and a tampered or foreign state is refused with -32602.
// Every instance that may receive a round must hold the same key: PML_STATE_KEY when set, else a
// key kept in the data dir, so instances sharing a machine (or a mounted data dir) share it.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequestStateCodec, type RequestStateCodec } from '@modelcontextprotocol/server';

export type RequestStateSeal = RequestStateCodec<unknown>;

const KEY_FILE = 'request-state.key';
const MIN_KEY_BYTES = 32;
// A round waits on a person (an elicitation) or a model (sampling): ten minutes is the SDK's default.
const STATE_TTL_SECONDS = 600;

export function createRequestStateSeal(key: string): RequestStateSeal {
  return createRequestStateCodec({
    key,
    ttlSeconds: STATE_TTL_SECONDS,
    bind: (ctx) => ctx.mcpReq.method,
  });
}

/** PML_STATE_KEY, or the data dir's key (made on first use, readable by its owner only). */
export function loadRequestStateKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const given = env.PML_STATE_KEY;
  if (given !== undefined && given !== '') {
    if (Buffer.byteLength(given) < MIN_KEY_BYTES)
      throw new Error(`PML_STATE_KEY is too short: give at least ${MIN_KEY_BYTES} bytes (64 hex digits).`);
    return given;
  }
  const path = join(dataDir, KEY_FILE);
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    mkdirSync(dataDir, { recursive: true });
    const key = randomBytes(MIN_KEY_BYTES).toString('hex');
    try {
      // 'wx': when two instances start together, the first key written wins and both read it.
      writeFileSync(path, key, { mode: 0o600, flag: 'wx' });
      return key;
    } catch {
      return readFileSync(path, 'utf8').trim();
    }
  }
}
