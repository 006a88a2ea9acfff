import { describe, expect, it } from 'vitest';
import { toFloat32Array, toVectorBase64, toVectorBytes } from './vector-bytes.js';

describe('vector bytes', () => {
  it('writes little-endian float32', () => {
    expect([...toVectorBytes(new Float32Array([1, -2]))]).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]);
  });

  it('reads back every value bit for bit, from any offset of a shared buffer', () => {
    const vector = new Float32Array([0.1, -0, 1e-45, 3.4028234663852886e38, -Infinity, Math.PI]);
    const padded = Buffer.concat([Buffer.from([9]), toVectorBytes(vector)]);

    const read = toFloat32Array(padded.subarray(1));

    expect(Buffer.from(read.buffer).equals(Buffer.from(vector.buffer))).toBe(true);
    expect(Object.is(read[1], -0)).toBe(true);
  });

  it('reads back base64 text, also with the line breaks PostgreSQL puts in every 76 characters', () => {
    const vector = new Float32Array(Array.from({ length: 100 }, (_, index) => index / 7));
    const wrapped = toVectorBase64(vector).replace(/.{76}/g, '$&\n');

    expect(wrapped).toContain('\n');
    expect(toFloat32Array(wrapped)).toEqual(vector);
  });

  it('reads an empty vector', () => {
    expect(toFloat32Array(toVectorBytes(new Float32Array(0)))).toEqual(new Float32Array(0));
  });
});
