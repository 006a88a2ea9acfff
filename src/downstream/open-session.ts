// One connect to a server: a fresh transport and SDK Client, the era negotiated (a `server/discover`
// probe, a cached verdict adopted with no round trip, or the era the config pins), the tool list read.
// A server that answers the probe as 2026-07-28 but cannot list its tools in that era is spoken to in
// 2025-11-25 (the fallback is kept as its verdict). Resolves with the live session, or rejects with
// pml's typed connect error once the transport is closed.
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
import { toEraMismatch } from './era-mismatch.js';
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
  /** False when the session was handed over with the tools of the one before, to be listed now. */
  toolsListed: boolean;
}

export interface SessionOptions {
  config: ServerConfig;
  createTransport: TransportFactory;
  progress: ProgressRouter;
  verdicts: EraVerdicts;
  createClient(): Client;
  listTools(client: Client): Promise<Tool[]>;
  /**
   * The tools the server had before, when pml opens a session again: a 2025-11-25 connect then hands
   * the session over before listing them (the connection lists them right after), which spares a
   * round trip to a server just back from a restart, when calls are waiting.
   */
  knownTools?: Tool[] | undefined;
  onStderrLine(line: string): void;
  /** The connection dropped after the session was handed over (a crash, not a failed connect). */
  onClose(session: DownstreamSession): void;
  /** The transport or the SDK reported an error outside any one request (a broken event stream). */
  onError(session: DownstreamSession | undefined, error: Error): void;
  /** The server answered the probe as 2026-07-28 but failed in that era: pml speaks 2025-11-25. */
  onEraFallback(reason: string): void;
  /** The server listed a tool that is not a valid MCP tool: pml leaves it out. */
  onInvalidTool(name: string, problem: string): void;
}

// A server pinned to 2025-11-25 is never probed; its verdict is the config's, not a measurement.
const PINNED_LEGACY: EraVerdict = { era: 'legacy', protocolVersion: '2025-11-25', negotiatedAt: '' };

export function openSession(options: SessionOptions): Promise<DownstreamSession> {
  if (options.config.protocol === '2025-11-25')
    return connectOnce(options, { kind: 'legacy' }, PINNED_LEGACY);
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
  const direct = new DirectRequests(transport, options.progress, {
    isModern: () => client.getProtocolEra() === 'modern',
    onInvalidTool: options.onInvalidTool,
  });
  // Until the session is handed over, a close is a failed connect (handled below), not a crash.
  let session: DownstreamSession | undefined;
  let closedDuringConnect = false;
  client.onclose = () => (session ? options.onClose(session) : (closedDuringConnect = true));
  client.onerror = (error) => options.onError(session, error);
  try {
    // The probe, the first line the server reads, waits out its startup; initialize then usually
    // answers at once. A stdio server that ignores the probe gets initialize after the probe's
    // timeout, with a timeout of its own: one that answers nothing fails after twice the limit.
    await client.connect(direct.transport, { timeout: timeoutMs, prior });
    // Only after an initialize: it proved the server alive and in its era. A 2026-07-28 connect on a
    // known verdict sends nothing, and its tools/list is what tells a stale verdict.
    const listLater = cached?.era === 'legacy' && options.knownTools !== undefined;
    const tools = listLater ? options.knownTools! : await options.listTools(client);
    if (closedDuringConnect) throw new Error('the server closed the connection during startup');
    const verdict = cached
      ? { ...cached, protocolVersion: client.getNegotiatedProtocolVersion() ?? cached.protocolVersion }
      : options.verdicts.record(config.id, client);
    const modern = new ModernRequests(client);
    session = { client, direct, modern, transport, verdict, probed: !cached, tools, toolsListed: !listLater };
    return session;
  } catch (error) {
    // Read before closing: the exit pml's own close causes explains nothing.
    const context = toFailureContext(config, transport, direct.transport);
    await transport.close().catch(() => {});
    const mismatch =
      config.protocol === 'auto' && client.getProtocolEra() === 'modern'
        ? toEraMismatch(error, 'tools/list')
        : undefined;
    if (mismatch) {
      options.onEraFallback(mismatch.reason);
      const fallback = options.verdicts.recordFallback(config.id, mismatch.reason);
      return connectOnce(options, { kind: 'legacy' }, fallback);
    }
    // A verdict the server no longer fits (upgraded, downgraded, replaced) is forgotten: the next
    // connect probes again.
    if (cached && cached !== PINNED_LEGACY) options.verdicts.delete(config.id);
    if (!prior && config.protocol === 'auto' && exitedOnProbe(error, transport))
      return connectOnce(options, { kind: 'legacy' }, undefined);
    const url = config.transport === 'http' ? config.url : undefined;
    throw toConnectError(error, context, timeoutMs, url);
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
