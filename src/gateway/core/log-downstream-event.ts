// Downstream lifecycle events as log lines on stderr, at a level that matches how much they matter.
import type { DownstreamEvent } from '../../downstream/index.js';
import type { Logger } from '../../shared/logger.js';

export function logDownstreamEvent(logger: Logger, event: DownstreamEvent): void {
  const server = event.serverId;
  switch (event.type) {
    case 'connecting':
      return logger.debug('connecting', { server, attempt: event.attempt });
    case 'connected':
      return logger.info('server ready', {
        server,
        tools: event.toolCount,
        ms: Math.round(event.durationMs),
      });
    case 'connect_failed':
      return logger.warn(event.error.message, { server });
    case 'disconnected':
      return logger.warn(event.error.message, { server });
    case 'down':
      return logger.warn(`${event.error.message} Next try in ${event.retryInMs} ms, or at the next call.`, {
        server,
      });
    case 'session_lost':
      return logger.info(event.message, { server });
    case 'era_fallback':
      return logger.warn(
        `server "${server}" answered as protocol 2026-07-28 but ${event.reason}; pml speaks 2025-11-25 with it from now on`,
        { server },
      );
    case 'restart_scheduled':
      return logger.info('restart scheduled', { server, attempt: event.attempt, inMs: event.delayMs });
    case 'gave_up':
      return logger.error(
        `gave up on server "${server}" after ${event.attempts} restarts; fix it and restart pml`,
        { server },
      );
    case 'health_check':
      return event.ok
        ? logger.debug('health check ok', { server })
        : logger.warn(event.error ?? 'health check failed', { server });
    case 'tools_listed':
      return logger.debug('tools listed', { server, tools: event.toolCount });
    case 'stderr':
      return logger.debug(event.line, { server, stream: 'stderr' });
    case 'protocol_error':
      return logger.warn(`protocol error: ${event.message}`, { server });
  }
}
