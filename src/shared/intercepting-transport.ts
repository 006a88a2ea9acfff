// A transport in front of another that lets pml take some messages before the SDK sees them. pml
// serves its hot paths (forwarded tool calls, every inbound request) itself: the SDK's Protocol runs
// three zod parses per message, two of them failing, which was most of a proxy hop's CPU.
import type {
  Transport,
  TransportSendOptions,
  JSONRPCMessage,
  MessageExtraInfo,
} from '@modelcontextprotocol/server';

/** Returns true when it took the message; false passes it on to the SDK. */
export type MessageInterceptor = (message: JSONRPCMessage, extra?: MessageExtraInfo) => boolean;

export class InterceptingTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;

  constructor(
    readonly inner: Transport,
    intercept: MessageInterceptor,
    onInnerClose: () => void = () => {},
  ) {
    inner.onmessage = (message, extra) => {
      if (!intercept(message, extra)) this.onmessage?.(message, extra);
    };
    inner.onclose = () => {
      onInnerClose();
      this.onclose?.();
    };
    inner.onerror = (error) => this.onerror?.(error);
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    return this.inner.send(message, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }
}
