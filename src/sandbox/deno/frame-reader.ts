// Reads the sandbox's stdout: first the ready line that carries the process's token, then frames
// `<token> <byte length> <json>\n`. The user's code can write to the same stdout, so anything else
// (a wrong first byte, a length that does not match, a frame over the size cap) is a problem that
// stops the reader at once: no buffering of what the code wrote, no guessing.
import { READY_PREFIX, TOKEN_HEX_LENGTH } from './protocol.js';

const NEWLINE = 0x0a;
const SPACE = 0x20;
/** Enough of a bad line to show what the code wrote, not so much that it floods a message. */
const PREVIEW_BYTES = 80;
const MAX_LENGTH_DIGITS = 10;
const READY_LINE = new RegExp(`^${READY_PREFIX} ([0-9a-f]{${TOKEN_HEX_LENGTH}})$`);

export type FrameProblem =
  { kind: 'garbage'; preview: string } | { kind: 'oversize'; bytes: number } | { kind: 'length_mismatch' };

export interface FrameReaderEvents {
  onReady(token: string): void;
  onFrame(json: string): void;
  onProblem(problem: FrameProblem): void;
}

export class FrameReader {
  private state: 'ready' | 'prefix' | 'length' | 'body' | 'newline' | 'stopped' = 'ready';
  private prefix = Buffer.alloc(0);
  private matched = 0;
  private line: number[] = [];
  private lengthDigits = '';
  private bodyBytes = 0;
  private bodyReceived = 0;
  private bodyChunks: Buffer[] = [];
  private body = '';

  constructor(
    private readonly maxFrameBytes: number,
    private readonly events: FrameReaderEvents,
  ) {}

  push(chunk: Buffer): void {
    let index = 0;
    while (index < chunk.length && this.state !== 'stopped') {
      switch (this.state) {
        case 'ready':
          index = this.readReadyLine(chunk, index);
          break;
        case 'prefix':
          index = this.readPrefix(chunk, index);
          break;
        case 'length':
          index = this.readLength(chunk, index);
          break;
        case 'body':
          index = this.readBody(chunk, index);
          break;
        case 'newline':
          // The frame counts only once its newline sits where its length says.
          if (chunk[index] !== NEWLINE) {
            this.stop({ kind: 'length_mismatch' });
            return;
          }
          index += 1;
          this.state = 'prefix';
          this.matched = 0;
          this.events.onFrame(this.body);
      }
    }
  }

  private readReadyLine(chunk: Buffer, start: number): number {
    let index = start;
    while (index < chunk.length && chunk[index] !== NEWLINE) {
      this.line.push(chunk[index]!);
      index += 1;
      if (this.line.length > READY_PREFIX.length + TOKEN_HEX_LENGTH + 1)
        return this.stop({ kind: 'garbage', preview: this.preview(Buffer.from(this.line)) });
    }
    if (index === chunk.length) return index;
    const text = Buffer.from(this.line).toString('utf8');
    const token = READY_LINE.exec(text)?.[1];
    if (!token) return this.stop({ kind: 'garbage', preview: this.preview(Buffer.from(this.line)) });
    this.prefix = Buffer.from(`${token} `, 'ascii');
    this.state = 'prefix';
    this.events.onReady(token);
    return index + 1;
  }

  private readPrefix(chunk: Buffer, start: number): number {
    let index = start;
    while (index < chunk.length && this.matched < this.prefix.length) {
      if (chunk[index] !== this.prefix[this.matched]) {
        const seen = Buffer.concat([this.prefix.subarray(0, this.matched), chunk.subarray(index)]);
        return this.stop({ kind: 'garbage', preview: this.preview(seen) });
      }
      this.matched += 1;
      index += 1;
    }
    if (this.matched === this.prefix.length) {
      this.state = 'length';
      this.lengthDigits = '';
    }
    return index;
  }

  private readLength(chunk: Buffer, start: number): number {
    let index = start;
    while (index < chunk.length) {
      const byte = chunk[index]!;
      index += 1;
      if (byte === SPACE && this.lengthDigits !== '') {
        const bytes = Number(this.lengthDigits);
        if (bytes > this.maxFrameBytes) return this.stop({ kind: 'oversize', bytes });
        this.bodyBytes = bytes;
        this.bodyReceived = 0;
        this.bodyChunks = [];
        this.body = '';
        this.state = bytes === 0 ? 'newline' : 'body';
        return index;
      }
      if (byte < 0x30 || byte > 0x39 || this.lengthDigits.length >= MAX_LENGTH_DIGITS)
        return this.stop({ kind: 'length_mismatch' });
      this.lengthDigits += String.fromCharCode(byte);
    }
    return index;
  }

  private readBody(chunk: Buffer, start: number): number {
    const wanted = this.bodyBytes - this.bodyReceived;
    const piece = chunk.subarray(start, start + wanted);
    this.bodyChunks.push(piece);
    this.bodyReceived += piece.length;
    if (piece.length === wanted) {
      const body = this.bodyChunks.length === 1 ? piece : Buffer.concat(this.bodyChunks);
      this.bodyChunks = [];
      this.body = body.toString('utf8');
      this.state = 'newline';
    }
    return start + piece.length;
  }

  /** Returns an index past any chunk, so that the caller's loop ends. */
  private stop(problem: FrameProblem): number {
    this.state = 'stopped';
    this.bodyChunks = [];
    this.events.onProblem(problem);
    return Number.MAX_SAFE_INTEGER;
  }

  private preview(bytes: Buffer): string {
    return bytes.subarray(0, PREVIEW_BYTES).toString('utf8');
  }
}
