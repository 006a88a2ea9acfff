// The command table: each command's flags, help text and the app function it calls.
import type { ParseArgsConfig } from 'node:util';
import {
  runCall,
  runDoctor,
  runExec,
  runSearch,
  runServe,
  runStats,
  runTools,
  runWorkflowFile,
  type AppContext,
} from '../app/index.js';
import { UsageError } from './usage-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;
export type ParsedValues = Record<string, string | boolean | undefined>;

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Options;
  /** Log level when no --log-level is given: quieter for one-shot commands. */
  defaultLogLevel: 'info' | 'warn';
  run(context: AppContext, values: ParsedValues, positionals: string[]): Promise<number | undefined>;
}

export const GLOBAL_OPTIONS: Options = {
  config: { type: 'string', short: 'c' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export const GLOBAL_HELP = `  -c, --config FILE     config file (default: ./pml.config.json, else the embedded default)
      --log-level LEVEL error | warn | info | debug (default: info for serve, warn otherwise; env PML_LOG_LEVEL)
  -h, --help            show help`;

export const COMMANDS: Command[] = [
  {
    name: 'serve',
    summary: 'serve the gateway over stdio (default) or Streamable HTTP',
    usage: `pml serve [--http] [--host HOST] [--port PORT] [--token TOKEN]

  --http          Streamable HTTP instead of stdio, at http://HOST:PORT/mcp
  --host HOST     interface to bind (default 127.0.0.1; binding elsewhere exposes your tools)
  --port PORT     port (default 3747; 0 picks a free one)
  --token TOKEN   require "Authorization: Bearer TOKEN" (env PML_HTTP_TOKEN)`,
    options: {
      http: { type: 'boolean' },
      host: { type: 'string' },
      port: { type: 'string' },
      token: { type: 'string' },
    },
    defaultLogLevel: 'info',
    run: async (context, values) => {
      await runServe(context, {
        http: values.http === true,
        host: values.host as string | undefined,
        port: values.port === undefined ? undefined : toPort(values.port as string),
        token: (values.token as string | undefined) ?? (process.env.PML_HTTP_TOKEN || undefined),
      });
      return undefined;
    },
  },
  {
    name: 'tools',
    summary: 'list every tool the gateway exposes',
    usage: 'pml tools [--json]\n\n  --json   print the full tool definitions as JSON',
    options: { json: { type: 'boolean' } },
    defaultLogLevel: 'warn',
    run: (context, values) => runTools(context, { json: values.json === true }),
  },
  {
    name: 'search',
    summary: 'find the tools that fit a request in plain words',
    usage: `pml search "<query>" [--limit N] [--json]

  --limit N   how many tools (default 10, at most 50)
  --json      print the hits with their input schemas as JSON
  Example: pml search "save a note about a person"`,
    options: { limit: { type: 'string' }, json: { type: 'boolean' } },
    defaultLogLevel: 'warn',
    run: (context, values, positionals) => {
      const query = positionals.join(' ');
      if (query.trim() === '')
        throw new UsageError('pml search needs a query, e.g. pml search "read a file"');
      const limit = values.limit === undefined ? undefined : Number(values.limit);
      if (limit !== undefined && !Number.isInteger(limit))
        throw new UsageError(`--limit must be a whole number, got "${String(values.limit)}"`);
      return runSearch(context, { query, limit, json: values.json === true });
    },
  },
  {
    name: 'call',
    summary: 'call one tool and print its result',
    usage: `pml call <tool> ['<json arguments>'] [--json]

  --json   print the whole CallToolResult as JSON
  Example: pml call filesystem__list_directory '{"path": "."}'`,
    options: { json: { type: 'boolean' } },
    defaultLogLevel: 'warn',
    run: (context, values, positionals) => {
      const [tool, argumentsJson = '{}'] = positionals;
      if (!tool) throw new UsageError('pml call needs a tool name, e.g. pml call memory__read_graph');
      return runCall(context, { tool, argumentsJson, json: values.json === true });
    },
  },
  {
    name: 'run',
    summary: 'run a workflow file (a DAG of tool calls) and print each task',
    usage: `pml run <workflow.json> [--json]

  --json   print the whole result (each task's result, error and timing) as JSON
  The file holds what execute_workflow takes, e.g.
  {"tasks": [{"id": "graph", "tool": "memory__read_graph"},
             {"id": "find", "tool": "memory__search_nodes", "arguments": {"query": "$OUTPUT[graph].entities[0].name"}}]}
  Exits 1 unless every task succeeded.`,
    options: { json: { type: 'boolean' } },
    defaultLogLevel: 'warn',
    run: (context, values, positionals) => {
      const [file] = positionals;
      if (!file) throw new UsageError('pml run needs a workflow file, e.g. pml run workflow.json');
      return runWorkflowFile(context, { file, json: values.json === true });
    },
  },
  {
    name: 'exec',
    summary: 'run code in the sandbox (it can call tools) and print its value',
    usage: `pml exec <file> | -e '<code>' [--json]

  -e, --eval CODE   the code itself instead of a file
  --json            print the whole result (value, logs, tool calls, duration) as JSON
  TypeScript or JavaScript; its value is what it returns (or its last expression). Tools are
  await tools.<server>.<tool>(args). Console output goes to stderr. Example:
  pml exec -e 'const g = await tools.memory.read_graph({}); return g.entities.length'`,
    options: { eval: { type: 'string', short: 'e' }, json: { type: 'boolean' } },
    defaultLogLevel: 'warn',
    run: (context, values, positionals) => {
      const code = values.eval as string | undefined;
      const [file] = positionals;
      if (code === undefined && !file) throw new UsageError("pml exec needs a file or -e '<code>'");
      return runExec(context, { file, code, json: values.json === true });
    },
  },
  {
    name: 'doctor',
    summary: 'check the config, start each server, report health',
    usage: 'pml doctor\n\n  Exits 1 when the config is invalid or a server does not start.',
    options: {},
    defaultLogLevel: 'warn',
    run: (context) => runDoctor(context),
  },
  {
    name: 'stats',
    summary: 'show request counts, error rates and p50/p95/p99 latencies of pml serve',
    usage: `pml stats [--json] [--all]

  --json   print the metrics as JSON
  --all    every gateway process with stats, not only the most recent one
  Works while pml serve runs under an MCP client and after it stopped: serve writes its metrics to
  <data dir>/stats/<pid>.json within a quarter second of new calls, and at least every 5 s (env
  PML_STATS_INTERVAL_MS). In HTTP mode they are also at
  GET /metrics, in the Prometheus format.`,
    options: { json: { type: 'boolean' }, all: { type: 'boolean' } },
    defaultLogLevel: 'warn',
    run: (context, values) => runStats(context, { json: values.json === true, all: values.all === true }),
  },
];

function toPort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UsageError(`--port must be an integer from 0 to 65535, got "${text}"`);
  return port;
}
