// Loads the configuration once: finds the file (or the embedded default), expands ${VAR}, validates
// with zod and fills every default. All problems are reported together in one ConfigError.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from '../errors/index.js';
import { buildEmbeddedServers } from './embedded-default.js';
import { expandEnvironment, type ExpansionProblem } from './expand-env.js';
import { configErrorMap, toConfigIssues, type ConfigIssue } from './format-issues.js';
import {
  configFileSchema,
  httpServerSchema,
  sandboxSchema,
  searchSchema,
  stdioServerSchema,
  storageSchema,
} from './schema.js';
import type { ResolvedConfig, ServerConfig } from './types.js';

export const CONFIG_FILE_NAME = 'pml.config.json';
export const EMBEDDED_SOURCE = 'embedded default';

// Tool names allow [A-Za-z0-9_.-]; the server id becomes a prefix, so it must fit too, and must not
// contain the separator or routing would be ambiguous.
const SERVER_ID = /^[A-Za-z0-9.-]+(?:_[A-Za-z0-9.-]+)*$/;

export interface LoadConfigOptions {
  configPath?: string | undefined;
  cwd: string;
  env: Record<string, string | undefined>;
}

export function loadConfig(options: LoadConfigOptions): ResolvedConfig {
  const dataDir = resolve(options.cwd, options.env.PML_DATA_DIR || join(homedir(), '.pml'));
  const path = findConfigFile(options);
  const raw =
    path === undefined ? { mcpServers: buildEmbeddedServers(options.cwd, dataDir) } : readJson(path);
  return resolveConfig(raw, {
    source: path ?? EMBEDDED_SOURCE,
    dataDir,
    env: options.env,
    baseDir: path ? dirname(path) : options.cwd,
  });
}

function findConfigFile(options: LoadConfigOptions): string | undefined {
  if (options.configPath !== undefined) {
    const explicit = resolve(options.cwd, options.configPath);
    if (!existsSync(explicit)) {
      throw new ConfigError(`Config file not found: ${explicit}. Check the --config path.`, {
        source: explicit,
        issues: [{ path: '(file)', message: 'does not exist' }],
      });
    }
    return explicit;
  }
  const implicit = join(options.cwd, CONFIG_FILE_NAME);
  return existsSync(implicit) ? implicit : undefined;
}

function readJson(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`${path} is not valid JSON: ${detail}`, {
      source: path,
      issues: [{ path: '(file)', message: detail }],
    });
  }
}

interface ResolveContext {
  source: string;
  dataDir: string;
  env: Record<string, string | undefined>;
  baseDir: string;
}

export function resolveConfig(raw: unknown, context: ResolveContext): ResolvedConfig {
  const expansionProblems: ExpansionProblem[] = [];
  const expanded = expandEnvironment(raw, context.env, expansionProblems);
  const issues: ConfigIssue[] = expansionProblems.map((problem) => ({
    path: problem.path,
    message: `environment variable ${problem.variable} is not set (write \${${problem.variable}:-default} for a fallback)`,
  }));

  const parsed = configFileSchema.safeParse(expanded, { error: configErrorMap });
  if (!parsed.success) issues.push(...toConfigIssues(parsed.error.issues));

  const servers: ServerConfig[] = [];
  // Server entries are checked even when another section is wrong, so one run names every problem.
  const entries = parsed.success ? parsed.data.mcpServers : toServerEntries(expanded);
  const gateway = parsed.success ? parsed.data.gateway : undefined;
  for (const [id, entry] of Object.entries(entries)) {
    const basePath = ['mcpServers', id];
    if (!SERVER_ID.test(id)) {
      issues.push({
        path: basePath.join('.'),
        message: 'server names may use letters, digits, ".", "-" and single "_" only',
      });
      continue;
    }
    const server = resolveServer(id, entry, basePath, issues, context, gateway);
    if (server) servers.push(server);
  }

  if (issues.length > 0 || !gateway) {
    const lines = issues.map((issue) => `  - ${issue.path}: ${issue.message}`).join('\n');
    throw new ConfigError(`Invalid configuration in ${context.source}:\n${lines}`, {
      source: context.source,
      issues,
    });
  }
  return {
    source: context.source,
    dataDir: context.dataDir,
    servers,
    gateway,
    telemetry: parsed.success ? parsed.data.telemetry : {},
    sandbox: parsed.success ? parsed.data.sandbox : sandboxSchema.parse({}),
    search: parsed.success ? parsed.data.search : searchSchema.parse({}),
    storage: resolveStorage(parsed.success ? parsed.data.storage : storageSchema.parse({}), context.env),
  };
}

function resolveStorage(storage: ResolvedConfig['storage'], env: Record<string, string | undefined>) {
  const fromEnv = env.DATABASE_URL?.trim();
  return fromEnv ? { ...storage, databaseUrl: fromEnv } : storage;
}

function resolveServer(
  id: string,
  entry: unknown,
  basePath: string[],
  issues: ConfigIssue[],
  context: ResolveContext,
  gateway: ResolvedConfig['gateway'] | undefined,
): ServerConfig | undefined {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    issues.push({
      path: basePath.join('.'),
      message: 'expected an object with "command" (stdio) or "url" (HTTP)',
    });
    return undefined;
  }
  const isHttp = 'url' in entry;
  const schema = isHttp ? httpServerSchema : stdioServerSchema;
  const result = schema.safeParse(entry, { error: configErrorMap });
  if (!result.success) {
    issues.push(...toConfigIssues(result.error.issues, basePath));
    return undefined;
  }
  const data = result.data;
  if (data.disabled || !gateway) return undefined;
  const common = {
    id,
    toolPrefix: data.toolPrefix,
    callTimeoutMs: data.callTimeoutMs ?? gateway.callTimeoutMs,
    connectTimeoutMs: data.connectTimeoutMs ?? gateway.connectTimeoutMs,
    protocol: data.protocol ?? 'auto',
  };
  if ('url' in data) {
    const httpKind = data.type === 'sse' ? 'sse' : 'streamable';
    return { ...common, transport: 'http', httpKind, url: data.url, headers: data.headers };
  }
  const cwd =
    data.cwd === undefined ? undefined : isAbsolute(data.cwd) ? data.cwd : resolve(context.baseDir, data.cwd);
  return { ...common, transport: 'stdio', command: data.command, args: data.args, env: data.env, cwd };
}

function toServerEntries(raw: unknown): Record<string, unknown> {
  const servers = (raw as { mcpServers?: unknown } | null)?.mcpServers;
  return servers !== null && typeof servers === 'object' && !Array.isArray(servers)
    ? (servers as Record<string, unknown>)
    : {};
}
