// 2026-07-28 clients hear of changes on their subscriptions/listen streams, which the SDK serves.
// This registered client turns the core's broadcasts into the SDK's change events.
import type { ConnectedClient, ServerNotification } from '../../core/client-registry.js';

export interface ChangeSink {
  toolsChanged(): void;
  promptsChanged(): void;
  resourcesChanged(): void;
  resourceUpdated(uri: string): void;
}

export class ChangeFeed implements ConnectedClient {
  readonly id = 'modern-change-feed';
  readonly lastActiveMs = 0;

  constructor(private readonly sink: ChangeSink) {}

  /** It asks nothing of anybody: server requests go to the client of the call. */
  supports(): boolean {
    return false;
  }

  request(): Promise<Record<string, unknown>> {
    return Promise.reject(new Error('the change feed answers no server request'));
  }

  notifyToolsChanged(): void {
    this.sink.toolsChanged();
  }

  forwardLog(): void {}

  forwardResourceUpdated(uri: string): void {
    this.sink.resourceUpdated(uri);
  }

  forwardNotification(notification: ServerNotification): void {
    if (notification.method === 'notifications/prompts/list_changed') this.sink.promptsChanged();
    if (notification.method === 'notifications/resources/list_changed') this.sink.resourcesChanged();
  }

  async close(): Promise<void> {}
}
