// The `pml` command: parses the command line, builds the context once and runs one command.
import { parseArgs } from 'node:util';
import { ProtocolError } from '@modelcontextprotocol/client';
import { buildContext } from '../app/index.js';
import { ConfigError } from '../errors/index.js';
import { isLogLevel, type LogLevel } from '../shared/logger.js';
import { PML_VERSION } from '../shared/version.js';
import { COMMANDS, GLOBAL_HELP, GLOBAL_OPTIONS, type Command } from './commands.js';
import { UsageError } from './usage-error.js';

function toMainHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  const lines = COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return `pml ${PML_VERSION}: one MCP endpoint in front of many MCP servers\n\nUsage: pml <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nOptions:\n${GLOBAL_HELP}\n\nRun "pml <command> --help" for a command's options.`;
}

function toCommandHelp(command: Command): string {
  return `Usage: ${command.usage}\n\nOptions for every command:\n${GLOBAL_HELP}`;
}

function resolveLogLevel(flag: unknown, command: Command): LogLevel {
  const value =
    (typeof flag === 'string' ? flag : undefined) ?? process.env.PML_LOG_LEVEL ?? command.defaultLogLevel;
  if (!isLogLevel(value))
    throw new UsageError(`--log-level must be error, warn, info or debug, got "${value}"`);
  return value;
}

async function main(argv: string[]): Promise<number | undefined> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${toMainHelp()}\n`);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${PML_VERSION}\n`);
    return 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) throw new UsageError(`unknown command "${name}"`);
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), { cause: command });
  }
  if (parsed.values.help) {
    process.stdout.write(`${toCommandHelp(command)}\n`);
    return 0;
  }
  const context = buildContext({
    configPath: parsed.values.config as string | undefined,
    logLevel: resolveLogLevel(parsed.values['log-level'], command),
  });
  return command.run(
    context,
    parsed.values as Record<string, string | boolean | undefined>,
    parsed.positionals,
  );
}

// A one-shot command exits as soon as it is done, with its code: its servers are already stopped,
// and nothing left behind (a pipe a stray grandchild holds, a timer) may keep the process alive.
// `serve` resolves without a code and lives on until a signal or its client ends it.
main(process.argv.slice(2)).then(
  (exitCode) => {
    if (exitCode !== undefined) process.exit(exitCode);
  },
  (error: unknown) => process.exit(reportFailure(error)),
);

/** Writes what went wrong for people (one line unless it is a bug) and returns the exit code. */
function reportFailure(error: unknown): number {
  if (error instanceof UsageError) {
    const command = error.cause as Command | undefined;
    process.stderr.write(`pml: ${error.message}\n\n${command ? toCommandHelp(command) : toMainHelp()}\n`);
    return 2;
  }
  if (error instanceof ConfigError) {
    process.stderr.write(`pml: ${error.message}\n`);
    return 1;
  }
  if (error instanceof ProtocolError) {
    // The gateway already wrote a message for people; the stack would be the SDK's, not ours.
    process.stderr.write(`pml: ${error.message.replace(/^(MCP error -?\d+: )+/, '')}\n`);
    return 1;
  }
  process.stderr.write(`pml: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}
