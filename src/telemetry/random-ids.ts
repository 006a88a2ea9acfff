// Trace and span ids: random hex from a pool of bytes, refilled every 170 requests.
import { randomFillSync } from 'node:crypto';

// randomUUID twice per request was 6 µs.
const ID_POOL_BYTES = 4096;
const idPool = Buffer.alloc(ID_POOL_BYTES);
let idPoolOffset = ID_POOL_BYTES;

export function toRandomHex(bytes: number): string {
  if (idPoolOffset + bytes > ID_POOL_BYTES) {
    randomFillSync(idPool);
    idPoolOffset = 0;
  }
  idPoolOffset += bytes;
  return idPool.toString('hex', idPoolOffset - bytes, idPoolOffset);
}
