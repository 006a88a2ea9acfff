// The clients connected to the gateway, as the core sees them: something it can notify and ask.
// The inbound side implements ConnectedClient; the core never imports it.
import { UnsupportedRequestError } from '../../errors/index.js';
import type { CallsInFlight } from './calls-in-flight.js';

export type ServerRequest = { method: string; params?: Record<string, unknown> | undefined };
export type ServerNotification = { method: string; params?: Record<string, unknown> | undefined };

/** The client capability each server request needs; a client that did not declare it is not asked. */
export const CAPABILITY_OF_SERVER_REQUEST: Readonly<Record<string, 'sampling' | 'elicitation' | 'roots'>> = {
  'sampling/createMessage': 'sampling',
  'elicitation/create': 'elicitation',
  'roots/list': 'roots',
};

export interface ConnectedClient {
  readonly id: string;
  /** When the client last sent a request: the tie-breaker for a server request nobody is waiting on. */
  readonly lastActiveMs: number;
  /** Whether the client declared the capability a server request needs (sampling, elicitation, roots). */
  supports(method: string): boolean;
  request(request: ServerRequest, signal: AbortSignal): Promise<Record<string, unknown>>;
  notifyToolsChanged(): void;
  /** A server's log message; `serverId` says whose, for a client that only hears its own calls. */
  forwardLog(params: Record<string, unknown>, serverId: string): void;
  forwardResourceUpdated(uri: string, notification: ServerNotification): void;
  forwardNotification(notification: ServerNotification): void;
  close(): Promise<void>;
}

export class ClientRegistry {
  private readonly clients = new Map<string, ConnectedClient>();

  constructor(private readonly callsInFlight: CallsInFlight) {}

  add(client: ConnectedClient): void {
    this.clients.set(client.id, client);
  }

  remove(client: ConnectedClient): void {
    if (this.clients.get(client.id) === client) this.clients.delete(client.id);
  }

  find(clientId: string): ConnectedClient | undefined {
    return this.clients.get(clientId);
  }

  /** Whether `clientId` has a request in flight on `serverId`. */
  isCalling(serverId: string, clientId: string): boolean {
    return this.callsInFlight.isCalling(serverId, clientId);
  }

  list(): ConnectedClient[] {
    return [...this.clients.values()];
  }

  /**
   * A server's request belongs to the client whose call is in flight on that server (the most recent
   * one if several); otherwise to the most recently active client that supports the method.
   */
  pickFor(serverId: string, method: string): ConnectedClient {
    const able = this.list().filter((client) => client.supports(method));
    const busy = able.filter((client) => this.callsInFlight.isCalling(serverId, client.id));
    const chosen = (busy.length > 0 ? busy : able).sort((a, b) => b.lastActiveMs - a.lastActiveMs)[0];
    if (chosen) return chosen;
    throw new UnsupportedRequestError(
      `No MCP client connected to pml supports ${method} right now, so pml cannot forward this request from "${serverId}".`,
      { method, serverId },
    );
  }
}
