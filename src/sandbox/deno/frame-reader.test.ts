import { describe, expect, it } from 'vitest';
import { FrameReader, type FrameProblem } from './frame-reader.js';

const TOKEN = '0123456789abcdef0123456789abcdef';

function createReader(maxFrameBytes = 1024) {
  const seen = { ready: [] as string[], frames: [] as string[], problems: [] as FrameProblem[] };
  const reader = new FrameReader(maxFrameBytes, {
    onReady: (token) => seen.ready.push(token),
    onFrame: (json) => seen.frames.push(json),
    onProblem: (problem) => seen.problems.push(problem),
  });
  return { reader, seen };
}

const frame = (json: string) => `${TOKEN} ${Buffer.byteLength(json)} ${json}\n`;

describe('FrameReader', () => {
  it('reads the ready line, then frames, whatever the chunking', () => {
    const { reader, seen } = createReader();
    const bytes = Buffer.from(`pml-sandbox-ready ${TOKEN}\n${frame('{"t":"log","text":"é"}')}${frame('{}')}`);
    for (let index = 0; index < bytes.length; index += 3) reader.push(bytes.subarray(index, index + 3));
    expect(seen).toEqual({ ready: [TOKEN], frames: ['{"t":"log","text":"é"}', '{}'], problems: [] });
  });

  it('stops at the first byte of a line that does not start with the token', () => {
    const { reader, seen } = createReader();
    reader.push(Buffer.from(`pml-sandbox-ready ${TOKEN}\n`));
    reader.push(Buffer.from(`forged {"t":"done","json":"1"}\n${frame('{}')}`));
    expect(seen.frames).toEqual([]);
    expect(seen.problems).toEqual([
      { kind: 'garbage', preview: 'forged {"t":"done","json":"1"}\n' + frame('{}').slice(0, 48) },
    ]);
  });

  it('rejects a frame with a guessed token', () => {
    const { reader, seen } = createReader();
    reader.push(Buffer.from(`pml-sandbox-ready ${TOKEN}\n${frame('{}').replace(TOKEN, 'f'.repeat(32))}`));
    expect(seen.problems[0]?.kind).toBe('garbage');
  });

  it('notices bytes written into the middle of a frame by its length', () => {
    const { reader, seen } = createReader();
    const honest = frame('{"t":"log","text":"hello"}');
    const tampered = honest.replace('hello', 'hel"},"x":{"a":"lo');
    reader.push(Buffer.from(`pml-sandbox-ready ${TOKEN}\n${tampered}`));
    expect(seen.frames).toEqual([]);
    expect(seen.problems).toEqual([{ kind: 'length_mismatch' }]);
  });

  it('refuses a frame over the size cap before reading its body', () => {
    const { reader, seen } = createReader(100);
    reader.push(Buffer.from(`pml-sandbox-ready ${TOKEN}\n${TOKEN} 5000000 `));
    expect(seen.problems).toEqual([{ kind: 'oversize', bytes: 5_000_000 }]);
  });

  it('refuses a first line that is not the ready line', () => {
    const { reader, seen } = createReader();
    reader.push(Buffer.from('hello from somewhere\n'));
    expect(seen.ready).toEqual([]);
    expect(seen.problems).toEqual([{ kind: 'garbage', preview: 'hello from somewhere' }]);
  });

  it('ignores everything after a problem', () => {
    const { reader, seen } = createReader();
    reader.push(Buffer.from('x'.repeat(200)));
    reader.push(Buffer.from(`pml-sandbox-ready ${TOKEN}\n${frame('{}')}`));
    expect(seen.problems).toHaveLength(1);
    expect(seen.frames).toEqual([]);
  });
});
