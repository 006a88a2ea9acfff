// Which clients have a call in flight on which server: a server's sampling or elicitation request
// during a call belongs to the client that made the call.

export class CallsInFlight {
  private readonly byServer = new Map<string, Map<string, number>>();

  /** Counts a call of `clientId` on `serverId`; the returned function ends it. */
  begin(serverId: string, clientId: string | undefined): () => void {
    if (clientId === undefined) return () => {};
    let clients = this.byServer.get(serverId);
    if (!clients) this.byServer.set(serverId, (clients = new Map()));
    clients.set(clientId, (clients.get(clientId) ?? 0) + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const count = (clients.get(clientId) ?? 1) - 1;
      if (count > 0) clients.set(clientId, count);
      else clients.delete(clientId);
      if (clients.size === 0) this.byServer.delete(serverId);
    };
  }

  isCalling(serverId: string, clientId: string): boolean {
    return this.byServer.get(serverId)?.has(clientId) ?? false;
  }
}
