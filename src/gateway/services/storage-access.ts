// Storage opened on first need, never before: PGlite costs ~300 MiB and 2–15 s to open, and an MCP
// client may spawn a gateway per session that never searches. A failure (a data dir another pml
// holds, a PostgreSQL server down) is logged once with what to do and reported to telemetry; the
// gateway goes on without storage and tries again after a while.
import type { StorageConfig } from '../../config/index.js';
import { toErrorMessage } from '../../errors/index.js';
import type { Logger } from '../../shared/logger.js';
import type { Storage, StorageOptions } from '../../storage/index.js';
import type { Telemetry } from '../../telemetry/index.js';

/** After a failed open, the next need tries again once this long has passed. */
export const STORAGE_RETRY_MS = 30_000;

export interface StorageStatus {
  state: 'disabled' | 'not opened' | 'opening' | 'open' | 'failed' | 'closed';
  kind?: 'pglite' | 'postgres';
  vectorExtension?: boolean;
  error?: string;
}

export interface StorageAccess {
  /** The storage, opening it if needed; undefined when it is disabled or could not open. */
  get(): Promise<Storage | undefined>;
  status(): StorageStatus;
  close(): Promise<void>;
}

export interface StorageAccessDeps {
  config: StorageConfig;
  dataDir: string;
  logger: Logger;
  telemetry: Telemetry;
  open: (options: StorageOptions) => Promise<Storage>;
}

export function createStorageAccess(deps: StorageAccessDeps): StorageAccess {
  const { config, logger, telemetry } = deps;
  let opening: Promise<Storage | undefined> | undefined;
  let storage: Storage | undefined;
  let failure: { message: string; atMs: number } | undefined;
  let closed = false;
  // A data dir another pml holds fails the same way at every retry: one Sentry event, not one per retry.
  const reported = new Set<string>();

  const open = async (): Promise<Storage | undefined> => {
    try {
      const opened = await deps.open({
        dataDir: deps.dataDir,
        databaseUrl: config.databaseUrl,
        logger,
        telemetry,
      });
      if (closed) {
        await opened.close();
        return undefined;
      }
      storage = opened;
      failure = undefined;
      logger.info('storage open', { store: opened.kind, vectorExtension: opened.vectorExtension });
      return opened;
    } catch (error) {
      failure = { message: toErrorMessage(error), atMs: Date.now() };
      logger.warn(`storage is unavailable, going on without it: ${failure.message}`);
      if (!reported.has(failure.message)) {
        reported.add(failure.message);
        telemetry.captureError(error, { operation: 'storage.open' });
      }
      return undefined;
    }
  };

  return {
    async get() {
      if (!config.enabled || closed) return undefined;
      if (storage) return storage;
      if (failure && Date.now() - failure.atMs < STORAGE_RETRY_MS) return undefined;
      opening ??= open().finally(() => (opening = undefined));
      return opening;
    },
    status() {
      if (!config.enabled) return { state: 'disabled' };
      if (closed) return { state: 'closed' };
      if (storage) return { state: 'open', kind: storage.kind, vectorExtension: storage.vectorExtension };
      if (opening) return { state: 'opening' };
      return failure ? { state: 'failed', error: failure.message } : { state: 'not opened' };
    },
    async close() {
      closed = true;
      await opening;
      await storage?.close();
      storage = undefined;
    },
  };
}
