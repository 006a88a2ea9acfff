// ToolSearch end to end with the real USE-lite model. The only stand-ins are Embedder
// implementations that fail or hang (a real embedder cannot be made to), and a Telemetry that records.
import { beforeAll, describe, expect, it } from 'vitest';
import { VectorSearchError } from '../errors/index.js';
import type { Logger } from '../shared/logger.js';
import type { Breadcrumb, RequestScope, Telemetry } from '../telemetry/index.js';
import { MAX_LIMIT, MAX_QUERY_CHARS } from './limits.js';
import { createMemoryEmbeddingCache } from './memory-embedding-cache.js';
import { MAX_EMBEDDING_TEXT_CHARS } from './tool-documents.js';
import { createToolSearch } from './tool-search.js';
import type { Embedder, SearchableTool } from './types.js';
import { createUseLiteEmbedder } from './use-lite-embedder.js';

const schema = (properties: Record<string, unknown> = {}) => ({ type: 'object', properties });
const TOOLS: SearchableTool[] = [
  {
    name: 'weather__get_forecast',
    serverId: 'weather',
    description: 'Get the daily weather forecast for a location.',
    inputSchema: schema({ city: { type: 'string' } }),
  },
  {
    name: 'github__create_issue',
    serverId: 'github',
    description: 'Create a new issue in a GitHub repository.',
    inputSchema: schema({ title: { type: 'string' } }),
  },
  {
    name: 'github__merge_pull_request',
    serverId: 'github',
    description: 'Merge a pull request.',
    inputSchema: schema(),
  },
  {
    name: 'slack__slack_post_message',
    serverId: 'slack',
    description: 'Post a new message to a Slack channel.',
    inputSchema: schema({ text: { type: 'string' } }),
  },
  {
    name: 'aws__ec2_terminate_instances',
    serverId: 'aws',
    description: 'Terminate EC2 instances (permanently).',
    inputSchema: schema(),
  },
  { name: 'memory__read_graph', serverId: 'memory', inputSchema: schema() },
];

function createRecordingLogger() {
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => (message: string) => void lines.push({ level, message });
  const logger: Logger = {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    isEnabled: () => true,
  };
  return { logger, lines, warnings: () => lines.filter((line) => line.level === 'warn') };
}

function createRecordingTelemetry() {
  const spans: { op: string; name: string; attributes?: Record<string, unknown>; parent?: RequestScope }[] =
    [];
  const breadcrumbs: Breadcrumb[] = [];
  const telemetry: Telemetry = {
    enabled: true,
    traceRequest: (_info, work) => work(requestScope),
    traceDownstream: (_info, work) => work(undefined),
    traceSpan: (info, work) => {
      spans.push(info);
      return work(info.parent);
    },
    captureError: () => {},
    addBreadcrumb: (breadcrumb) => void breadcrumbs.push(breadcrumb),
    toStatus: () => ({ enabled: true, dropped: {} }),
    close: async () => {},
  };
  return { telemetry, spans, breadcrumbs };
}

const requestScope: RequestScope = {
  setServer: () => {},
  markToolError: () => {},
  setData: () => {},
  setTag: () => {},
  recordInput: () => {},
  recordOutput: () => {},
};

/** The real model, with every text it was asked to embed written down. */
function createWatchedEmbedder(inner: Embedder) {
  const texts: string[] = [];
  const embedder: Embedder = {
    model: inner.model,
    embed: async (batch, options) => {
      texts.push(...batch);
      return inner.embed(batch, options);
    },
  };
  return { embedder, texts };
}

const failingEmbedder: Embedder = {
  model: 'broken',
  embed: async () => {
    throw new Error('connect ECONNREFUSED 127.0.0.1:11434');
  },
};

const useLite = createUseLiteEmbedder();
const names = (hits: { name: string }[]) => hits.map((hit) => hit.name);

describe('createToolSearch', () => {
  beforeAll(async () => {
    await useLite.embed(['load the model once for the whole file']);
  });

  it('answers lexically at once, then by meaning once the vectors are in', async () => {
    const search = createToolSearch({ embedder: useLite });
    search.setTools(TOOLS);
    expect(search.status()).toMatchObject({
      tools: 6,
      embedded: 0,
      lexicalOnly: true,
      indexing: true,
      model: 'use-lite',
    });
    expect(names(await search.search('weather forecast'))[0]).toBe('weather__get_forecast');
    await search.whenIndexed();
    expect(search.status()).toMatchObject({ embedded: 6, lexicalOnly: false, indexing: false });
    // No word in common with the tool: only the meaning can find it.
    expect(names(await search.search('will it rain in Lisbon tomorrow'))[0]).toBe('weather__get_forecast');
  });

  it('finds a paraphrase through the synonyms of its verb', async () => {
    const search = createToolSearch({ embedder: useLite });
    search.setTools(TOOLS);
    await search.whenIndexed();
    expect(names(await search.search('get rid of the test VM on AWS'))[0]).toBe(
      'aws__ec2_terminate_instances',
    );
  });

  it('returns each hit with its server, score, description and schema', async () => {
    const search = createToolSearch({});
    search.setTools(TOOLS);
    const [hit] = await search.search('post a message to slack', { limit: 1 });
    expect(hit).toEqual({
      name: 'slack__slack_post_message',
      serverId: 'slack',
      score: expect.any(Number),
      description: 'Post a new message to a Slack channel.',
      inputSchema: TOOLS[3]!.inputSchema,
    });
  });

  describe('bad input', () => {
    const search = createToolSearch({});
    search.setTools(TOOLS);

    it.each(['', '   '])('refuses an empty query (%j) with a clear error', async (query) => {
      await expect(search.search(query)).rejects.toThrow(VectorSearchError);
      await expect(search.search(query)).rejects.toThrow('query must not be empty');
    });

    it('cuts a 100 KB query before ranking instead of refusing it', async () => {
      const watched = createWatchedEmbedder(useLite);
      const semantic = createToolSearch({ embedder: watched.embedder });
      semantic.setTools(TOOLS);
      await semantic.whenIndexed();
      const hits = await semantic.search(`weather forecast ${'x'.repeat(100_000)}`);
      expect(names(hits)[0]).toBe('weather__get_forecast');
      expect(Math.max(...watched.texts.map((text) => text.length))).toBeLessThanOrEqual(MAX_QUERY_CHARS);
    });

    it('clamps limit 0, -1 and 10^6 into [1, MAX_LIMIT]', async () => {
      const many = Array.from({ length: 80 }, (_, i) => ({ ...TOOLS[0]!, name: `weather__tool_${i}` }));
      const big = createToolSearch({});
      big.setTools(many);
      expect(await search.search('github', { limit: 0 })).toHaveLength(1);
      expect(await search.search('github', { limit: -1 })).toHaveLength(1);
      expect(await big.search('weather', { limit: 1e6 })).toHaveLength(MAX_LIMIT);
    });

    it('finds a tool that has no description by its name', async () => {
      const [hit] = await search.search('read the graph');
      expect(hit).toMatchObject({ name: 'memory__read_graph' });
      expect(hit).not.toHaveProperty('description');
    });

    it('indexes a tool with a 1 MB input schema, embedding a bounded text for it', async () => {
      const huge = {
        name: 'crm__import_records',
        serverId: 'crm',
        description: 'Import contact records from a spreadsheet.',
        inputSchema: schema(
          Object.fromEntries(
            Array.from({ length: 4_000 }, (_, i) => [
              `column${i}`,
              { type: 'string', description: 'y'.repeat(250) },
            ]),
          ),
        ),
      };
      expect(JSON.stringify(huge.inputSchema).length).toBeGreaterThan(1_000_000);
      const watched = createWatchedEmbedder(useLite);
      const semantic = createToolSearch({ embedder: watched.embedder });
      semantic.setTools([...TOOLS, huge]);
      await semantic.whenIndexed();
      expect(semantic.status()).toMatchObject({ tools: 7, embedded: 7 });
      expect(Math.max(...watched.texts.map((text) => text.length))).toBeLessThanOrEqual(
        MAX_EMBEDDING_TEXT_CHARS,
      );
      expect(names(await semantic.search('import contacts from a spreadsheet'))[0]).toBe(
        'crm__import_records',
      );
    });

    it('keeps the first of two tools with the same name, and says so', async () => {
      const { logger, warnings } = createRecordingLogger();
      const dup = createToolSearch({ logger });
      dup.setTools([TOOLS[0]!, { ...TOOLS[0]!, description: 'Another one' }]);
      expect(dup.status().tools).toBe(1);
      expect(warnings()).toHaveLength(1);
    });
  });

  describe('a failing embedder', () => {
    it('leaves search answering lexically, and is logged and breadcrumbed once, not per query', async () => {
      const { logger, warnings } = createRecordingLogger();
      const { telemetry, breadcrumbs } = createRecordingTelemetry();
      const search = createToolSearch({ embedder: failingEmbedder, logger, telemetry });
      search.setTools(TOOLS);
      await search.whenIndexed();
      for (let i = 0; i < 3; i++)
        expect(names(await search.search('merge the pull request'))[0]).toBe('github__merge_pull_request');
      expect(warnings()).toHaveLength(1);
      expect(warnings()[0]!.message).toContain('ECONNREFUSED');
      expect(breadcrumbs.filter((crumb) => crumb.level === 'warning')).toHaveLength(1);
      expect(search.status()).toMatchObject({
        lexicalOnly: true,
        indexing: false,
        embedderError: expect.stringContaining('ECONNREFUSED'),
      });
    });

    it('treats an embedder that returns too few vectors as failed', async () => {
      const { logger, warnings } = createRecordingLogger();
      const short: Embedder = {
        model: 'short',
        embed: async (texts) => (await useLite.embed(texts)).slice(1),
      };
      const search = createToolSearch({ embedder: short, logger });
      search.setTools(TOOLS);
      await search.whenIndexed();
      expect(warnings()[0]!.message).toContain('returned 5 vectors for 6 texts');
      expect(names(await search.search('merge the pull request'))[0]).toBe('github__merge_pull_request');
    });

    it('answers lexically when the query embedding fails or hangs past its deadline, then retries later', async () => {
      let mode: 'ok' | 'fail' | 'hang' = 'ok';
      const flaky: Embedder = {
        model: 'flaky',
        embed: (texts, options) =>
          mode === 'ok'
            ? useLite.embed(texts, options)
            : mode === 'fail'
              ? Promise.reject(new Error('HTTP 503'))
              : new Promise(() => {}),
      };
      const { logger, warnings } = createRecordingLogger();
      const search = createToolSearch({
        embedder: flaky,
        logger,
        ranking: { queryEmbedTimeoutMs: 20, embedderRetryMs: 0 },
      });
      search.setTools(TOOLS);
      await search.whenIndexed();
      mode = 'hang';
      expect(names(await search.search('post a message on slack'))[0]).toBe('slack__slack_post_message');
      mode = 'fail';
      expect(names(await search.search('post a note on slack'))[0]).toBe('slack__slack_post_message');
      expect(warnings()).toHaveLength(1);
      expect(warnings()[0]!.message).toContain('did not answer within 20 ms');
      expect(search.status().lexicalOnly).toBe(true);
      mode = 'ok';
      expect(names(await search.search('will it rain in Lisbon tomorrow'))[0]).toBe('weather__get_forecast');
      expect(search.status()).toMatchObject({ lexicalOnly: false });
      expect(search.status()).not.toHaveProperty('embedderError');
    });
  });

  describe('the embedding cache', () => {
    it('fills the cache on a cold index and embeds nothing on a warm one', async () => {
      const cache = createMemoryEmbeddingCache();
      const cold = createToolSearch({ embedder: useLite, cache });
      cold.setTools(TOOLS);
      await cold.whenIndexed();
      expect(cold.status().lastIndexing).toMatchObject({ fromCache: 0, embedded: 6 });
      const watched = createWatchedEmbedder(useLite);
      const warm = createToolSearch({ embedder: watched.embedder, cache });
      warm.setTools(TOOLS);
      await warm.whenIndexed();
      expect(warm.status().lastIndexing).toMatchObject({ fromCache: 6, embedded: 0 });
      expect(watched.texts).toEqual([]);
      expect(names(await warm.search('will it rain in Lisbon tomorrow'))[0]).toBe('weather__get_forecast');
    });

    it('re-embeds only the tool whose description changed', async () => {
      const watched = createWatchedEmbedder(useLite);
      const search = createToolSearch({ embedder: watched.embedder });
      search.setTools(TOOLS);
      await search.whenIndexed();
      watched.texts.length = 0;
      search.setTools(
        TOOLS.map((tool, i) => (i === 1 ? { ...tool, description: 'Open a bug report on GitHub.' } : tool)),
      );
      await search.whenIndexed();
      expect(watched.texts).toEqual(['github: create issue. Open a bug report on GitHub.']);
      expect(search.status().lastIndexing).toMatchObject({ fromMemory: 5, embedded: 1 });
    });

    it('still indexes when the cache cannot be read or written', async () => {
      const { logger, warnings } = createRecordingLogger();
      const broken = {
        get: () => Promise.reject(new Error('disk full')),
        put: () => Promise.reject(new Error('disk full')),
      };
      const search = createToolSearch({ embedder: useLite, cache: broken, logger });
      search.setTools(TOOLS);
      await search.whenIndexed();
      expect(search.status()).toMatchObject({ embedded: 6, lexicalOnly: false });
      expect(warnings().map((line) => line.message)).toEqual([
        expect.stringContaining('could not be read'),
        expect.stringContaining('could not be written'),
      ]);
    });
  });

  describe('learning from use', () => {
    // Two trackers: the words favour GitHub, but this team files its crashes in Jira.
    const trackers: SearchableTool[] = [
      ...TOOLS,
      {
        name: 'jira__jira_create_issue',
        serverId: 'jira',
        description: 'Create a new Jira issue (story, task, bug or epic) in a project.',
        inputSchema: schema(),
      },
    ];
    const query = 'open an issue about the crash';
    const similar = 'open a new issue for the crash';

    it('lifts the hit an agent called after a search: at once for that query, after a few uses for similar ones', async () => {
      const search = createToolSearch({ embedder: useLite });
      search.setTools(trackers);
      await search.whenIndexed();
      expect(names(await search.search(query)).slice(0, 2)).toEqual([
        'github__create_issue',
        'jira__jira_create_issue',
      ]);
      expect(names(await search.search(similar))[0]).toBe('github__create_issue');
      search.recordUse(query, 'jira__jira_create_issue');
      expect(names(await search.search(query))[0]).toBe('jira__jira_create_issue');
      expect(names(await search.search(similar))[0]).toBe('github__create_issue');
      search.recordUse(query, 'jira__jira_create_issue');
      search.recordUse(query, 'jira__jira_create_issue');
      expect(names(await search.search(similar))[0]).toBe('jira__jira_create_issue');
      expect(names(await search.search('will it rain in Lisbon tomorrow'))[0]).toBe('weather__get_forecast');
    });

    it('applies uses handed over at start once their queries are embedded, and ignores unknown tools', async () => {
      const search = createToolSearch({
        embedder: useLite,
        uses: [{ query, toolName: 'jira__jira_create_issue', count: 3 }],
      });
      search.setTools(trackers);
      await search.whenIndexed();
      expect(search.status().uses).toBe(1);
      search.recordUse(query, 'nobody__knows_this_tool');
      search.recordUse('   ', 'github__create_issue');
      expect(search.status().uses).toBe(1);
      expect(names(await search.search(similar))[0]).toBe('jira__jira_create_issue');
    });

    it('embeds the query of a use recorded after indexing, so similar queries are lifted too', async () => {
      const search = createToolSearch({ embedder: useLite });
      search.setTools(trackers);
      await search.whenIndexed();
      // Never searched here: its vector is not memoised, the search embeds it in the background.
      for (let i = 0; i < 3; i++) search.recordUse(query, 'jira__jira_create_issue');
      await expect.poll(async () => names(await search.search(similar))[0]).toBe('jira__jira_create_issue');
    });

    it('lifts by shared words when there is no embedder', async () => {
      const search = createToolSearch({});
      search.setTools(trackers);
      const words = 'new issue in the repository';
      expect(names(await search.search(words))[0]).toBe('github__create_issue');
      search.recordUse(words, 'jira__jira_create_issue');
      expect(names(await search.search(words))[0]).toBe('jira__jira_create_issue');
    });
  });

  it('traces the search and the query embedding under the request, and breadcrumbs no query text', async () => {
    const { telemetry, spans, breadcrumbs } = createRecordingTelemetry();
    const search = createToolSearch({ embedder: useLite, telemetry });
    search.setTools(TOOLS);
    await search.whenIndexed();
    await search.search('secret project falcon weather', { scope: requestScope });
    expect(spans.map((span) => [span.op, span.parent])).toEqual([
      ['vector.search', requestScope],
      ['embedding.compute', requestScope],
    ]);
    expect(spans[0]!.attributes).toMatchObject({
      'pml.query.length': 29,
      'pml.search.mode': 'hybrid',
      'pml.tools.count': 6,
    });
    const searchCrumb = breadcrumbs.find((crumb) => crumb.message === 'search_tools');
    expect(searchCrumb?.data).toEqual({ queryLength: 29, results: expect.any(Number), mode: 'hybrid' });
    expect(JSON.stringify(breadcrumbs)).not.toContain('falcon');
  });

  it('stops indexing on close and still answers lexically', async () => {
    const search = createToolSearch({ embedder: useLite });
    search.setTools(TOOLS);
    search.close();
    search.close();
    await search.whenIndexed();
    expect(search.status().embedded).toBeLessThan(6);
    expect(names(await search.search('merge the pull request'))[0]).toBe('github__merge_pull_request');
  });
});
