import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/index.js';
import { resolveConfig } from './load.js';

const context = {
  source: 'pml.config.json',
  dataDir: '/data',
  env: { TOKEN: 'abc', HOME_DIR: '/home/me' },
  baseDir: '/project',
};

function toIssues(raw: unknown): string[] {
  try {
    resolveConfig(raw, context);
  } catch (error) {
    if (error instanceof ConfigError)
      return error.data.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveConfig', () => {
  it('reads Claude Desktop entries and fills every default', () => {
    const config = resolveConfig(
      {
        mcpServers: {
          fs: { command: 'npx', args: ['-y', 'server'], env: { KEY: '${TOKEN}' }, cwd: 'sub' },
          remote: { url: 'https://example.com/mcp', headers: { authorization: 'Bearer ${TOKEN}' } },
        },
      },
      context,
    );
    expect(config.servers).toEqual([
      expect.objectContaining({
        id: 'fs',
        transport: 'stdio',
        command: 'npx',
        args: ['-y', 'server'],
        env: { KEY: 'abc' },
        cwd: '/project/sub',
        callTimeoutMs: 60_000,
      }),
      expect.objectContaining({
        id: 'remote',
        transport: 'http',
        url: 'https://example.com/mcp',
        headers: { authorization: 'Bearer abc' },
      }),
    ]);
    expect(config.gateway).toMatchObject({ toolPrefix: 'always', http: { host: '127.0.0.1' } });
  });

  it('reads the era a server is pinned to and the HTTP+SSE type, auto and Streamable HTTP otherwise', () => {
    const config = resolveConfig(
      {
        mcpServers: {
          old: { command: 'node', protocol: '2025-11-25' },
          sse: { type: 'sse', url: 'http://127.0.0.1:3001/sse', protocol: '2026-07-28' },
          plain: { url: 'http://127.0.0.1:3002/mcp' },
        },
      },
      context,
    );
    expect(config.servers.map((server) => [server.id, server.protocol])).toEqual([
      ['old', '2025-11-25'],
      ['sse', '2026-07-28'],
      ['plain', 'auto'],
    ]);
    expect(config.servers.slice(1)).toEqual([
      expect.objectContaining({ httpKind: 'sse' }),
      expect.objectContaining({ httpKind: 'streamable' }),
    ]);
    expect(toIssues({ mcpServers: { a: { command: 'node', protocol: '2025-06-18' } } })).toEqual([
      expect.stringMatching(/^mcpServers\.a\.protocol: .*"auto".*"2025-11-25".*"2026-07-28"/),
    ]);
  });

  it('uses the fallback of ${VAR:-default} and reports unset variables by path', () => {
    const config = resolveConfig({ mcpServers: { a: { command: '${MISSING:-node}' } } }, context);
    expect(config.servers[0]).toMatchObject({ command: 'node' });
    expect(toIssues({ mcpServers: { a: { command: 'node', env: { K: '${NOPE}' } } } })).toEqual([
      expect.stringMatching(/^mcpServers\.a\.env\.K: environment variable NOPE is not set/),
    ]);
  });

  it('names the path and the expectation for a wrong type', () => {
    expect(toIssues({ mcpServers: { a: { command: 'node', args: 'x' } } })).toEqual([
      'mcpServers.a.args: expected array, got string',
    ]);
    expect(toIssues({ gateway: { toolPrefix: 'sometimes' } })).toEqual([
      'gateway.toolPrefix: expected one of "always", "on-collision", "never", got "sometimes"',
    ]);
  });

  it('words every kind of problem the same way (pml owns the wording, not zod)', () => {
    const server = (extra: Record<string, unknown>) => ({ mcpServers: { a: { command: 'node', ...extra } } });
    expect(toIssues({ mcpServers: { a: { args: [] } } })).toEqual([
      'mcpServers.a.command: is required (expected string)',
    ]);
    expect(toIssues(server({ command: '', env: ['K'], type: 'http', callTimeoutMs: 1.5 }))).toEqual([
      'mcpServers.a.type: invalid literal value, expected "stdio"',
      'mcpServers.a.command: string must contain at least 1 character(s)',
      'mcpServers.a.env: expected object, got array',
      'mcpServers.a.callTimeoutMs: expected integer, got float',
    ]);
    expect(toIssues(server({ toolPrefix: 1, connectTimeoutMs: 0 }))).toEqual([
      "mcpServers.a.toolPrefix: expected 'always' | 'on-collision' | 'never', got number",
      'mcpServers.a.connectTimeoutMs: number must be greater than 0',
    ]);
    expect(toIssues({ mcpServers: { a: { url: 'not a url' } } })).toEqual(['mcpServers.a.url: invalid url']);
    expect(
      toIssues({
        gateway: { http: { port: 70_000 } },
        sandbox: { memoryLimitMb: 8 },
        search: { embedder: { type: 'openai', baseUrl: 'nope', model: 'm' } },
      }),
    ).toEqual([
      'gateway.http.port: number must be less than or equal to 65535',
      'search.embedder.baseUrl: invalid url',
      'sandbox.memoryLimitMb: number must be greater than or equal to 16',
    ]);
  });

  it('fills the defaults inside a section that is given in part', () => {
    const config = resolveConfig({ gateway: { restart: { maxAttempts: 2 }, http: { port: 0 } } }, context);
    expect(config.gateway.restart).toEqual({
      maxAttempts: 2,
      initialDelayMs: 500,
      maxDelayMs: 30_000,
      stableAfterMs: 60_000,
    });
    expect(config.gateway.http).toEqual({
      host: '127.0.0.1',
      port: 0,
      allowedHosts: [],
      allowedOrigins: [],
      sessionIdleMs: 1_800_000,
      maxSessions: 1_000,
    });
    expect(config.sandbox).toMatchObject({ approval: 'writes', allowTools: ['*'], poolSize: 2 });
    expect(config.search).toEqual({ embedder: 'use-lite', indexWaitMs: 15_000 });
  });

  it('suggests the closest key for a typo', () => {
    expect(toIssues({ mcpServer: {} })).toEqual([
      'mcpServer: unknown key "mcpServer" (did you mean "mcpServers"?)',
    ]);
  });

  it('rejects server names that cannot prefix a tool name', () => {
    expect(toIssues({ mcpServers: { 'my server': { command: 'x' }, a__b: { command: 'x' } } })).toHaveLength(
      2,
    );
  });

  it('leaves out disabled servers and applies per-server overrides', () => {
    const config = resolveConfig(
      {
        mcpServers: {
          a: { command: 'x', disabled: true },
          b: { command: 'y', toolPrefix: 'never', callTimeoutMs: 5 },
        },
      },
      context,
    );
    expect(config.servers.map((server) => [server.id, server.toolPrefix, server.callTimeoutMs])).toEqual([
      ['b', 'never', 5],
    ]);
  });

  it('checks the search, storage and sandbox sections, naming the key', () => {
    expect(
      toIssues({
        search: { embedder: 'magic' },
        storage: { databaseUrl: 'mysql://db' },
        sandbox: { approval: 'sometimes' },
      }),
    ).toEqual([
      'search.embedder: must be "use-lite", "none" or {"type": "openai", "baseUrl": "http://…", "model": "…"}',
      'sandbox.approval: expected one of "never", "writes", "always", got "sometimes"',
      'storage.databaseUrl: must start with postgres:// or postgresql://',
    ]);
  });

  it('takes DATABASE_URL from the environment over the file', () => {
    const config = resolveConfig(
      { storage: { databaseUrl: 'postgres://file/db' } },
      { ...context, env: { DATABASE_URL: 'postgres://env/db' } },
    );
    expect(config.storage).toEqual({ enabled: true, databaseUrl: 'postgres://env/db' });
  });

  it('accepts the three tools modes (whether one is available is up to the meta-tool table)', () => {
    expect(toIssues({ gateway: { toolsMode: 'fast' } })).toEqual([
      'gateway.toolsMode: expected one of "all", "search", "code", got "fast"',
    ]);
  });

  it('names every problem at once, in the servers and in the other sections', () => {
    const issues = toIssues({
      mcpServers: { fs: { comand: 'node' }, web: { url: 'not a url' } },
      gateway: { callTimeoutMs: 'fast' },
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        'gateway.callTimeoutMs: expected number, got string',
        expect.stringMatching(/^mcpServers\.fs\.comand: unknown key "comand" \(did you mean "command"\?\)/),
        expect.stringMatching(/^mcpServers\.web\.url: /),
      ]),
    );
  });
});
