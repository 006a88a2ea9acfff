// A bare JSON-RPC-over-stdio peer for the built gateway: sends any bytes, even invalid ones, and
// waits for responses by id. For tests of what a well-behaved SDK client would never send.
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI, NODE } from './paths.js';
import { gatewayEnv, writeConfig } from './gateway.js';

export interface RawMessage {
  id?: string | number | null;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: unknown };
  method?: string;
}

export class RawStdioPeer {
  readonly messages: RawMessage[] = [];
  stdout = '';
  stderr = '';
  private buffered = '';
  private nextId = 1;

  private constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk: Buffer) => {
      this.stdout += chunk.toString();
      this.buffered += chunk.toString();
      let newline;
      while ((newline = this.buffered.indexOf('\n')) !== -1) {
        const line = this.buffered.slice(0, newline);
        this.buffered = this.buffered.slice(newline + 1);
        this.messages.push(JSON.parse(line) as RawMessage);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  static async start(
    config: Record<string, unknown>,
    env: Record<string, string> = {},
  ): Promise<RawStdioPeer> {
    const { dir, path } = writeConfig(config);
    const child = spawn(NODE, [CLI, 'serve', '--config', path], {
      env: gatewayEnv(dir, env),
      cwd: dir,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const peer = new RawStdioPeer(child);
    await peer.request('initialize', {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'raw', version: '1' },
    });
    peer.writeLine(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    return peer;
  }

  writeLine(text: string): void {
    this.child.stdin!.write(`${text}\n`);
  }

  async request(
    method: string,
    params: Record<string, unknown> = {},
    timeoutMs = 20_000,
  ): Promise<RawMessage> {
    const id = this.nextId++;
    this.writeLine(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    return this.waitForId(id, timeoutMs);
  }

  async waitForId(id: string | number | null, timeoutMs = 20_000): Promise<RawMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find((message) => message.id === id && message.method === undefined);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`no response to id ${String(id)}; stderr:\n${this.stderr.slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.stdin!.end();
    return exited;
  }
}
