// What every command gets: the resolved config and a logger. Built once from flags and environment.
import { mkdirSync } from 'node:fs';
import { loadConfig, type ResolvedConfig } from '../config/index.js';
import { ConfigError, toErrorMessage } from '../errors/index.js';
import { createStderrLogger, type Logger, type LogLevel } from '../shared/logger.js';

export interface AppContext {
  config: ResolvedConfig;
  logger: Logger;
}

export interface ContextOptions {
  configPath?: string | undefined;
  logLevel: LogLevel;
}

export function buildContext(options: ContextOptions): AppContext {
  const logger = createStderrLogger({ level: options.logLevel });
  const config = loadConfig({ configPath: options.configPath, cwd: process.cwd(), env: process.env });
  ensureDataDir(config.dataDir);
  return { config, logger };
}

/**
 * The data dir exists before any server starts: the embedded memory server writes its file there
 * and cannot save into a folder that is missing (ENOENT on its temp file, and the data is lost).
 */
function ensureDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    const message = `Cannot create the data dir ${dataDir}: ${toErrorMessage(error)}. Set PML_DATA_DIR to a folder pml may write.`;
    throw new ConfigError(message, { source: 'PML_DATA_DIR', issues: [{ path: 'PML_DATA_DIR', message }] });
  }
}
