// One connect to a server: a fresh transport and SDK Client, the era negotiated (a `server/discover`
// probe, or a cached verdict adopted with no round trip), the tool list read. Resolves with the live
// session, or rejects with pml's typed connect error once the transport is closed.
import {
  SdkError,
  SdkErrorCode,
  type Client,
  type PriorDiscovery,
  type Tool,
  type Transport,
} from '@modelcontextprotocol/client';
import type { ServerConfig } from '../config/index.js';
import { DirectRequests } from './direct-requests.js';
import type { EraSession } from './era-paths.js';
import { toPriorDiscovery, type EraVerdict, type EraVerdicts } from './era-verdicts.js';
import { ModernRequests } from './modern-requests.js';
import type { TransportFactory } from './create-transport.js';
import type { ProgressRouter } from './progress-router.js';
import { toConnectError, toFailureContext } from './to-downstream-error.js';

export interface DownstreamSession extends EraSession {
  /** The server's own transport (child process or HTTP), under the one the client sees. */
  transport: Transport;
  verdict: EraVerdict;
  /** True when this connect probed; false when it adopted a cached verdict. */
  probed: boolean;
  tools: Tool[];
}

export interface SessionOptions {
  config: ServerConfig;
  createTransport: TransportFactory;
  progress: ProgressRouter;
  verdicts: EraVerdicts;
  createClient(): Client;
  listTools(client: Client): Promise<Tool[]>;
  onStderrLine(line: string): void;
  /** The connection dropped after the session was handed over (a crash, not a failed connect). */
  onClose(session: DownstreamSession): void;
}

export function openSession(options: SessionOptions): Promise<DownstreamSession> {
  const verdict = options.verdicts.get(options.config.id);
  return connectOnce(options, toPriorDiscovery(verdict), verdict);
}

async function connectOnce(
  options: SessionOptions,
  prior: PriorDiscovery | undefined,
  cached: EraVerdict | undefined,
): Promise<DownstreamSession> {
  const { config } = options;
  const timeoutMs = config.connectTimeoutMs;
  const client = options.createClient();
  const transport = options.createTransport(config, options.onStderrLine);
  const direct = new DirectRequests(transport, options.progress);
  // Until the session is handed over, a close is a failed connect (handled below), not a crash.
  let session: DownstreamSession | undefined;
  let closedDuringConnect = false;
  client.onclose = () => (session ? options.onClose(session) : (closedDuringConnect = true));
  try {
    // The probe, the first line the server reads, waits out its startup; initialize then usually
    // answers at once. A stdio server that ignores the probe gets initialize after the probe's
    // timeout, with a timeout of its own: one that answers nothing fails after twice the limit.
    await client.connect(direct.transport, { timeout: timeoutMs, prior });
    const tools = await options.listTools(client);
    if (closedDuringConnect) throw new Error('the server closed the connection during startup');
    const verdict = cached ?? options.verdicts.record(config.id, client);
    const modern = new ModernRequests(client);
    session = { client, direct, modern, transport, verdict, probed: !cached, tools };
    return session;
  } catch (error) {
    await transport.close().catch(() => {});
    // A verdict the server no longer fits (upgraded, downgraded, replaced) is forgotten: the next
    // connect probes again.
    if (cached) options.verdicts.delete(config.id);
    if (!prior && exitedOnProbe(error, transport)) return connectOnce(options, { kind: 'legacy' }, undefined);
    throw toConnectError(error, toFailureContext(config, transport), timeoutMs);
  }
}

/**
 * Some stdio servers exit on any request before `initialize` (those on the Rust SDK, rmcp, do):
 * such a server is a legacy one. The SDK's own stdio transport probes on a throwaway sibling process
 * for this reason; pml's probes in place, so it starts the server again and skips the probe.
 */
function exitedOnProbe(error: unknown, transport: Transport): boolean {
  const exited = (transport as { exit?: unknown }).exit !== undefined;
  return exited && error instanceof SdkError && error.code === SdkErrorCode.EraNegotiationFailed;
}
