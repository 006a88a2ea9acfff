// Writes JSON-RPC messages as lines, several per write: messages sent in the same turn of the event
// loop leave in one write. A pipe write was the largest single cost of a proxied call (about 9 µs
// each, two per call); under concurrent load most turns carry several messages.
import type { Writable } from 'node:stream';

export class LineWriter {
  private queued: string[] = [];
  private waiters: (() => void)[] = [];
  private scheduled = false;

  constructor(private readonly stream: () => Writable | undefined) {}

  /** Resolves once the line is handed to the stream (after a drain when the stream was full). */
  write(message: unknown): Promise<void> {
    this.queued.push(JSON.stringify(message));
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private readonly flush = () => {
    this.scheduled = false;
    const lines = this.queued;
    const waiters = this.waiters;
    this.queued = [];
    this.waiters = [];
    const release = () => {
      for (const resolve of waiters) resolve();
    };
    const stream = this.stream();
    if (!stream || stream.destroyed || stream.writableEnded) return release();
    if (stream.write(`${lines.join('\n')}\n`)) release();
    else stream.once('drain', release);
  };
}
