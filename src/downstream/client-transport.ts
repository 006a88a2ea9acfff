// The transport the SDK Client is handed for a server: pml's intercepting transport (DirectRequests
// takes its answers off it), shaped so that the SDK's structural checks still see what is under it.
// - stdio: the SDK knows a stdio transport by its `pid` and `stderr` members. There a silent
//   `server/discover` probe means a legacy server (fall back to `initialize`); on anything else
//   silence is an outage and the connect fails.
// - Streamable HTTP: `hasPerRequestStream` lets a 2026-07-28 cancellation close the request's own
//   stream, as that era wants, rather than POST a `notifications/cancelled` no session correlates.
import type { Transport } from '@modelcontextprotocol/client';
import { InterceptingTransport, type MessageInterceptor } from '../shared/intercepting-transport.js';
import { SpawnedStdioTransport, type ChildExit } from './stdio-client-transport.js';

export class ClientFacingTransport extends InterceptingTransport {
  /**
   * Whether pml or the SDK closed the transport, and how the server had exited by then: an exit that
   * follows a close was asked for and explains nothing (a failed connect closes before it throws).
   */
  closeRequested = false;
  exitAtClose: ChildExit | undefined;

  get hasPerRequestStream(): boolean | undefined {
    return (this.inner as { hasPerRequestStream?: boolean }).hasPerRequestStream;
  }

  override close(): Promise<void> {
    if (!this.closeRequested) {
      this.closeRequested = true;
      this.exitAtClose = this.inner instanceof SpawnedStdioTransport ? this.inner.exit : undefined;
    }
    return super.close();
  }
}

class StdioFacingTransport extends ClientFacingTransport {
  /** pml reads the child's stderr itself; the member only has to exist. */
  readonly stderr = null;

  get pid(): number | undefined {
    return (this.inner as SpawnedStdioTransport).pid;
  }
}

export function wrapForClient(
  inner: Transport,
  intercept: MessageInterceptor,
  onInnerClose: () => void,
): ClientFacingTransport {
  return inner instanceof SpawnedStdioTransport
    ? new StdioFacingTransport(inner, intercept, onInnerClose)
    : new ClientFacingTransport(inner, intercept, onInnerClose);
}
