// A 2026-07-28 client asks for resource updates in its subscriptions/listen filter (the revision's
// replacement for resources/subscribe). The SDK serves the stream and filters what reaches it; pml
// still has to ask the servers that own the URIs to send updates, for as long as the stream is open.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../../shared/logger.js';
import type { ProxyRoutes } from '../../core/proxy-routes.js';

type Message = { method?: unknown; params?: { notifications?: { resourceSubscriptions?: unknown } } };

export interface ListenResources {
  /** Settles once every server was asked: the stream is acknowledged after it, updates flowing. */
  ready: Promise<unknown>;
  release(): void;
}

/** Subscribes the URIs a listen request names, for as long as it is open (undefined: it names none). */
export function holdListenResources(
  routes: ProxyRoutes,
  message: unknown,
  logger: Logger,
): ListenResources | undefined {
  const { method, params } = (message ?? {}) as Message;
  const uris = params?.notifications?.resourceSubscriptions;
  if (method !== 'subscriptions/listen' || !Array.isArray(uris) || uris.length === 0) return undefined;
  const holder = `listen-${randomUUID()}`;
  const subscribing = uris
    .filter((uri): uri is string => typeof uri === 'string')
    .map((uri) =>
      routes.subscribe({ uri }, holder).catch((error: unknown) => {
        // The stream stays open for what it can get; this URI's owner just was not told.
        logger.debug('a listen stream asked for a resource no server would subscribe', {
          uri,
          error: error instanceof Error ? error.message : String(error),
        });
      }),
    );
  const ready = Promise.allSettled(subscribing);
  // Released only once every subscribe has settled, so that none outlives the stream.
  return { ready, release: () => void ready.then(() => routes.releaseClient(holder)) };
}
