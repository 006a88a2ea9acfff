// Downstream lifecycle as telemetry: each event a breadcrumb (discovery, connect, restart, health,
// schema extraction), and the failures an error event with their typed class.
import type { DownstreamEvent } from '../../downstream/index.js';
import type { Telemetry } from '../../telemetry/index.js';

export function reportDownstreamEvent(telemetry: Telemetry, event: DownstreamEvent): void {
  if (!telemetry.enabled || event.type === 'stderr') return;
  const serverId = event.serverId;
  switch (event.type) {
    case 'connecting':
      return telemetry.addBreadcrumb({
        category: 'mcp.server.discovery',
        message: `connecting to ${serverId}`,
        data: { serverId, attempt: event.attempt },
      });
    case 'connected':
      return telemetry.addBreadcrumb({
        category: 'mcp.server.connect',
        message: `${serverId} ready`,
        data: { serverId, tools: event.toolCount, durationMs: Math.round(event.durationMs) },
      });
    case 'tools_listed':
      return telemetry.addBreadcrumb({
        category: 'mcp.tools.schema',
        message: `extracted ${event.toolCount} tool schemas from ${serverId}`,
        data: { serverId, tools: event.toolCount },
      });
    case 'connect_failed':
      telemetry.addBreadcrumb({
        category: 'mcp.server.connect',
        message: `${serverId} failed to start`,
        level: 'error',
        data: { serverId },
      });
      return telemetry.captureError(event.error, { serverId, operation: 'connect' });
    case 'disconnected':
      telemetry.addBreadcrumb({
        category: 'mcp.server.disconnect',
        message: `${serverId} disconnected`,
        level: 'warning',
        data: { serverId, exitCode: event.exitCode, signal: event.signal },
      });
      return telemetry.captureError(event.error, { serverId, operation: 'connection' });
    case 'down':
      telemetry.addBreadcrumb({
        category: 'mcp.server.disconnect',
        message: `${serverId} unreachable`,
        level: 'error',
        data: { serverId, retryInMs: event.retryInMs },
      });
      return telemetry.captureError(event.error, { serverId, operation: 'connection' });
    case 'session_lost':
      return telemetry.addBreadcrumb({
        category: 'mcp.server.restart',
        message: `${serverId} lost its session; reopening`,
        level: 'warning',
        data: { serverId },
      });
    case 'era_fallback':
      return telemetry.addBreadcrumb({
        category: 'mcp.server.discovery',
        message: `${serverId} falls back to 2025-11-25`,
        level: 'warning',
        data: { serverId, reason: event.reason },
      });
    case 'restart_scheduled':
      return telemetry.addBreadcrumb({
        category: 'mcp.server.restart',
        message: `restarting ${serverId}`,
        data: { serverId, attempt: event.attempt, delayMs: event.delayMs },
      });
    case 'gave_up':
      return telemetry.addBreadcrumb({
        category: 'mcp.server.restart',
        message: `gave up on ${serverId}`,
        level: 'error',
        data: { serverId, attempts: event.attempts },
      });
    case 'health_check':
      return telemetry.addBreadcrumb({
        category: 'mcp.server.health',
        message: `${serverId} ${event.ok ? 'healthy' : 'unhealthy'}`,
        level: event.ok ? 'info' : 'warning',
        data: { serverId, ok: event.ok, durationMs: Math.round(event.durationMs) },
      });
    case 'protocol_error':
      return telemetry.addBreadcrumb({
        category: 'mcp.server.protocol',
        message: event.message,
        level: 'warning',
        data: { serverId },
      });
  }
}
