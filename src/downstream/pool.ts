// All downstream servers: started in parallel, each on its own, so one that fails or hangs never
// holds back the others. Each is spoken to in its own protocol era, probed once and remembered
// (in memory: a new pml process probes again).
import type { ServerConfig } from '../config/index.js';
import { DownstreamConnection, type ConnectionPolicy } from './connection.js';
import { EraVerdicts } from './era-verdicts.js';
import type { DownstreamHandlers, ServerStatus } from './types.js';

export class DownstreamPool {
  private readonly connections = new Map<string, DownstreamConnection>();
  private started: Promise<void> | undefined;

  constructor(servers: ServerConfig[], policy: ConnectionPolicy, handlers: DownstreamHandlers) {
    const verdicts = new EraVerdicts();
    for (const server of servers)
      this.connections.set(server.id, new DownstreamConnection(server, policy, handlers, verdicts));
  }

  /** Starts every server; resolves when each first attempt has settled (connected or failed). */
  start(): Promise<void> {
    this.started ??= Promise.all([...this.connections.values()].map((connection) => connection.start())).then(
      () => {},
    );
    return this.started;
  }

  /** Waits for the first attempts, but never longer than `timeoutMs`. */
  async waitForStartup(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    try {
      await Promise.race([this.start(), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  get(serverId: string): DownstreamConnection | undefined {
    return this.connections.get(serverId);
  }

  list(): DownstreamConnection[] {
    return [...this.connections.values()];
  }

  toStatuses(): ServerStatus[] {
    return this.list().map((connection) => connection.toStatus());
  }

  async close(): Promise<void> {
    await Promise.all(this.list().map((connection) => connection.close()));
  }
}
