// What every command gets: the resolved config and a logger. Built once from flags and environment.
import { loadConfig, type ResolvedConfig } from '../config/index.js';
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
  return { config, logger };
}
