// The Logger port and its one implementation: lines on stderr, because in stdio mode stdout
// belongs to the MCP protocol.

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Record<string, unknown>;

export interface Logger {
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  isEnabled(level: LogLevel): boolean;
}

export interface StderrLoggerOptions {
  level: LogLevel;
  write?: (line: string) => void;
}

export function createStderrLogger(options: StderrLoggerOptions): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level);
  const write = options.write ?? writeToStderr;
  const isEnabled = (level: LogLevel) => LOG_LEVELS.indexOf(level) <= threshold;
  const log = (level: LogLevel, message: string, fields?: LogFields) => {
    if (!isEnabled(level)) return;
    const suffix = fields && Object.keys(fields).length > 0 ? ` ${toFieldText(fields)}` : '';
    write(`[pml] ${level.padEnd(5)} ${message}${suffix}\n`);
  };
  return {
    error: (message, fields) => log('error', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    info: (message, fields) => log('info', message, fields),
    debug: (message, fields) => log('debug', message, fields),
    isEnabled,
  };
}

// A client that goes away takes the read end of our stderr with it: each later write then fails
// (EPIPE) as an 'error' event, which unhandled is an uncaught exception, which pml logs, to stderr,
// and so on without end (a pml spinning at full CPU, deaf to SIGTERM, was seen). Lines that cannot be
// written are dropped.
let stderrGone = false;
let stderrWatched = false;

function writeToStderr(line: string): void {
  if (!stderrWatched) {
    stderrWatched = true;
    process.stderr.on('error', () => (stderrGone = true));
  }
  if (!stderrGone) process.stderr.write(line);
}

export const silentLogger: Logger = {
  error: () => {},
  warn: () => {},
  info: () => {},
  debug: () => {},
  isEnabled: () => false,
};

function toFieldText(fields: LogFields): string {
  return Object.entries(fields)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
}

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}
