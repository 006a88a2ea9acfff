// Tool search at 1,000 tools (bench/fixtures/search-catalog*.mjs, ~60 servers) with the real USE-lite
// model: ranking quality (Hit@1, Hit@3, MRR) of lexical, semantic and fused search on 336 queries
// split once into a tune half and a held-out half, what each ranking change moved, learning from use,
// search latency warm, cold and warm indexing, RSS, and the tokens a tools/list answer costs in `all`
// and `search` mode. A report against targets: exits 0 unless something crashes.
import { performance } from 'node:perf_hooks';
import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import {
  DEFAULT_LIMIT,
  DEFAULT_RANKING,
  MAX_LIMIT,
  createMemoryEmbeddingCache,
  createToolSearch,
  createUseLiteEmbedder,
  toTerms,
} from '../dist/search/index.js';
import { openStorage } from '../dist/storage/index.js';
import { buildCatalog } from './fixtures/search-catalog.mjs';
import { classifyQueries, mrr, pct, rankQueries, toMetrics } from './fixtures/search-eval.mjs';
import { SEARCH_FOLLOWUPS } from './fixtures/search-followups.mjs';
import { SEARCH_QUERIES } from './fixtures/search-queries.mjs';
import * as lib from './lib.mjs';

const TARGET_HIT1 = 0.85;
const TARGET_HIT3 = 0.95;
const TARGET_P95_MS = 20;
/** Hits an agent sees (search_tools' default limit): a use is recorded only for a tool among them. */
const SEEN_HITS = DEFAULT_LIMIT;
const MiB = (bytes) => (bytes / 2 ** 20).toFixed(1);
const rss = () => process.memoryUsage().rss;

console.log(`machine: ${lib.machineInfo()}`);
const rssAtStart = rss();

const catalog = buildCatalog();
const queries = classifyQueries(SEARCH_QUERIES, catalog, toTerms);
const followups = classifyQueries(
  SEARCH_FOLLOWUPS.map((entry) => ({ ...entry, split: 'followup' })),
  catalog,
  toTerms,
);
const count = (split, kind) => queries.filter((q) => q.split === split && (!kind || q.kind === kind)).length;
console.log(
  `catalog: ${catalog.length} tools on ${new Set(catalog.map((t) => t.serverId)).size} servers | queries: ${queries.length} ` +
    `(tune ${count('tune')}: ${count('tune', 'everyday')} everyday + ${count('tune', 'paraphrase')} paraphrases; ` +
    `held out ${count('heldout')}: ${count('heldout', 'everyday')} + ${count('heldout', 'paraphrase')}) | follow-up rewordings: ${followups.length}`,
);

// --- Indexing: lexical at once, then cold embedding of every tool, then a warm re-index from the cache.
const embedder = createUseLiteEmbedder();
const cache = createMemoryEmbeddingCache();
const lexicalOnly = createToolSearch({});
let started = performance.now();
lexicalOnly.setTools(catalog);
const lexicalIndexMs = performance.now() - started;
const rssLexical = rss();

const cold = createToolSearch({ embedder, cache });
started = performance.now();
cold.setTools(catalog);
await cold.whenIndexed();
const coldIndexMs = performance.now() - started;
const coldStatus = cold.status();
await cold.search('warm up the query path');
const rssAfterFirstSearch = rss();

const watched = { texts: 0 };
const countingEmbedder = {
  model: embedder.model,
  embed: (texts, options) => ((watched.texts += texts.length), embedder.embed(texts, options)),
};
const warm = createToolSearch({ embedder: countingEmbedder, cache });
started = performance.now();
warm.setTools(catalog);
await warm.whenIndexed();
const warmIndexMs = performance.now() - started;
const warmStatus = warm.status();

lib.printTable(
  'indexing (1,000 tools)',
  ['step', 'ms', 'texts embedded', 'from cache'],
  [
    ['lexical index (setTools, synchronous)', lexicalIndexMs.toFixed(0), '0', '0'],
    [
      'cold: embed every tool (incl. model load)',
      coldIndexMs.toFixed(0),
      String(coldStatus.lastIndexing?.embedded),
      String(coldStatus.lastIndexing?.fromCache),
    ],
    [
      'warm re-index, filled cache',
      warmIndexMs.toFixed(0),
      String(watched.texts),
      String(warmStatus.lastIndexing?.fromCache),
    ],
  ],
);

// --- Ranking quality.
async function createIndexed(ranking, withEmbedder = true) {
  const search = createToolSearch({ embedder: withEmbedder ? embedder : undefined, cache, ranking });
  search.setTools(catalog);
  await search.whenIndexed();
  return search;
}

async function measure(search, entries = queries) {
  const ranks = await rankQueries(entries, async (query) =>
    (await search.search(query, { limit: 10 })).map((hit) => hit.name),
  );
  const pick = (split, kind) =>
    toMetrics(
      ranks.filter((_, i) => (!split || entries[i].split === split) && (!kind || entries[i].kind === kind)),
    );
  return { ranks, pick };
}

const SEMANTIC_ONLY = {
  lexicalWeight: 0,
  semanticWeight: 1,
  serverMentionWeight: 0,
  actionWeight: 0,
  useWeight: 0,
};
const variants = {
  'lexical only (no embedder)': await measure(await createIndexed({}, false)),
  'semantic only (USE-lite cosine)': await measure(await createIndexed(SEMANTIC_ONLY)),
  'fused (defaults)': await measure(await createIndexed({})),
};
const qualityRows = [];
for (const [label, result] of Object.entries(variants)) {
  for (const split of ['tune', 'heldout']) {
    const all = result.pick(split);
    const everyday = result.pick(split, 'everyday');
    const paraphrase = result.pick(split, 'paraphrase');
    qualityRows.push([
      label,
      split === 'tune' ? 'tune' : 'held out',
      pct(all.hit1),
      pct(all.hit3),
      mrr(all.mrr),
      `${pct(everyday.hit1)} / ${pct(everyday.hit3)}`,
      `${pct(paraphrase.hit1)} / ${pct(paraphrase.hit3)}`,
    ]);
  }
}
lib.printTable(
  'ranking quality (MRR counts ranks 1-10; everyday shares a word with its tool, a paraphrase none but the server name)',
  ['ranking', 'half', 'Hit@1', 'Hit@3', 'MRR', 'everyday H@1 / H@3', 'paraphrase H@1 / H@3'],
  qualityRows,
);

// --- What each change moved (cumulative, as tuned on the tune half).
const PLAIN = { serverMentionWeight: 0, actionWeight: 0, synonymWeight: 0, useWeight: 0 };
const steps = [
  ['BM25 alone (stemmed, by field)', PLAIN, false],
  ['USE-lite cosine alone', { ...SEMANTIC_ONLY, synonymWeight: 0 }, true],
  ['fusion 0.5 BM25 + 0.5 cosine (normalised)', PLAIN, true],
  [
    '+ synonyms of tool verbs and nouns (0.3)',
    { ...PLAIN, synonymWeight: DEFAULT_RANKING.synonymWeight },
    true,
  ],
  [
    '+ query names the server (0.2)',
    {
      ...PLAIN,
      synonymWeight: DEFAULT_RANKING.synonymWeight,
      serverMentionWeight: DEFAULT_RANKING.serverMentionWeight,
    },
    true,
  ],
  ['+ verb of the tool name (0.1) = defaults', { useWeight: 0 }, true],
  ["+ server's own relevance, servers then tools (0.3)", { useWeight: 0, serverWeight: 0.3 }, true],
];
const stepRows = [];
for (const [label, ranking, withEmbedder] of steps) {
  const result = await measure(await createIndexed(ranking, withEmbedder));
  const tune = result.pick('tune');
  const held = result.pick('heldout');
  stepRows.push([label, pct(tune.hit1), pct(tune.hit3), pct(held.hit1), pct(held.hit3)]);
}
lib.printTable(
  'what each change moved',
  ['ranking', 'tune H@1', 'tune H@3', 'held-out H@1', 'held-out H@3'],
  stepRows,
);

// --- Learning from use: the agent searches with each tune query and calls the right tool when it is
// among the hits it sees; then rewordings of those intents, and the held-out half, are searched again.
const learner = await createIndexed({});
const followupsBefore = await measure(learner, followups);
const heldBefore = variants['fused (defaults)'].pick('heldout');
let recorded = 0;
for (const entry of queries.filter((q) => q.split === 'tune')) {
  const hits = (await learner.search(entry.query, { limit: SEEN_HITS })).map((hit) => hit.name);
  if (!hits.includes(entry.tool)) continue;
  learner.recordUse(entry.query, entry.tool);
  recorded++;
}
const followupsAfter = await measure(learner, followups);
const heldAfter = (await measure(learner)).pick('heldout');
const f0 = followupsBefore.pick();
const f1 = followupsAfter.pick();
lib.printTable(
  `learning from use: ${recorded} uses recorded (tune queries whose tool was among the ${SEEN_HITS} hits)`,
  ['queries', 'n', 'H@1 before', 'H@1 after', 'H@3 before', 'H@3 after', 'MRR before', 'MRR after'],
  [
    [
      'rewordings of those intents',
      String(f0.n),
      pct(f0.hit1),
      pct(f1.hit1),
      pct(f0.hit3),
      pct(f1.hit3),
      mrr(f0.mrr),
      mrr(f1.mrr),
    ],
    [
      'held-out half (other intents)',
      String(heldAfter.n),
      pct(heldBefore.hit1),
      pct(heldAfter.hit1),
      pct(heldBefore.hit3),
      pct(heldAfter.hit3),
      mrr(heldBefore.mrr),
      mrr(heldAfter.mrr),
    ],
  ],
);

// --- Latency at 1,000 tools, warm: every query searched once (none memoised), after a warm-up.
const distinct = [...new Set([...queries, ...followups].map((entry) => entry.query))];
async function timeSearches(search, texts) {
  for (let i = 0; i < 20; i++) await search.search(`warm up number ${i}`);
  const samples = [];
  for (const text of texts) {
    const start = performance.now();
    await search.search(text);
    samples.push(performance.now() - start);
  }
  return lib.summarize(samples);
}
const hybridLatency = await timeSearches(await createIndexed({}), distinct);
const embedSamples = [];
for (const text of distinct) {
  const start = performance.now();
  await embedder.embed([text]);
  embedSamples.push(performance.now() - start);
}
const embedLatency = lib.summarize(embedSamples);
const repeated = await createIndexed({});
for (const text of distinct.slice(0, 200)) await repeated.search(text);
const repeatLatency = await timeSearches(repeated, distinct.slice(0, 200));
const lexicalLatency = await timeSearches(lexicalOnly, distinct);
lib.printTable(
  `search latency, ms (1,000 tools, ${distinct.length} distinct queries, limit ${DEFAULT_LIMIT})`,
  ['path', 'n', 'p50', 'p95', 'p99'],
  [
    [
      'hybrid search, first time a query is seen',
      String(hybridLatency.n),
      lib.ms(hybridLatency.p50),
      lib.ms(hybridLatency.p95),
      lib.ms(hybridLatency.p99),
    ],
    [
      '  of which: USE-lite embedding of the query',
      String(embedLatency.n),
      lib.ms(embedLatency.p50),
      lib.ms(embedLatency.p95),
      lib.ms(embedLatency.p99),
    ],
    [
      'hybrid search, query seen before (vector memoised)',
      String(repeatLatency.n),
      lib.ms(repeatLatency.p50),
      lib.ms(repeatLatency.p95),
      lib.ms(repeatLatency.p99),
    ],
    [
      'lexical only (no embedder)',
      String(lexicalLatency.n),
      lib.ms(lexicalLatency.p50),
      lib.ms(lexicalLatency.p95),
      lib.ms(lexicalLatency.p99),
    ],
  ],
);

// Storage open beside it (PGlite in a temp data dir, created fresh): what a gateway in search mode
// holds once its vectors are cached.
const storageDir = lib.makeTempRoot('pml-bench-storage-');
started = performance.now();
const storage = await openStorage({ dataDir: storageDir.path });
const storageOpenMs = performance.now() - started;
const rssWithStorage = rss();
await storage.close();
storageDir.remove();

lib.printTable(
  'memory (RSS of this process)',
  ['when', 'MiB'],
  [
    ['idle: modules loaded, catalog built, before the model', MiB(rssAtStart)],
    ['lexical index of 1,000 tools, model not loaded', MiB(rssLexical)],
    ['after the first search (model loaded, 1,000 vectors)', MiB(rssAfterFirstSearch)],
    [
      `and with storage open (PGlite, created in ${(storageOpenMs / 1000).toFixed(1)} s)`,
      MiB(rssWithStorage),
    ],
  ],
);

// --- Tokens of a tools/list answer: every tool with its schema, or only the meta-tools.
const META_TOOLS = [
  {
    name: 'search_tools',
    description:
      'Finds the tools that fit a task described in plain words (e.g. "save a note about a person", "list the files in a folder"), ranked by meaning and wording. Answers each tool\'s name, score, description and input schema: call the best one directly with tools/call.',
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'What you want to do, in a few words.' },
        limit: {
          type: 'integer',
          description: `How many tools to answer (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT}).`,
        },
      },
      required: ['query'],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
  {
    name: 'gateway_status',
    description:
      'Health of the pml gateway: each downstream MCP server with its state, tool count, restarts and last error, plus request counts, error rates and p50/p95/p99 latencies per operation, tool and server.',
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    annotations: { readOnlyHint: true, openWorldHint: false },
  },
];
const tokenizer = new Tiktoken(o200kBase);
const tokensOf = (tools) => tokenizer.encode(JSON.stringify({ tools })).length;
const allTokens = tokensOf(
  catalog.map(({ name, description, inputSchema }) => ({ name, description, inputSchema })),
);
const searchTokens = tokensOf(META_TOOLS);
lib.printTable(
  'tools/list answer size (o200k_base tokens)',
  ['mode', 'tools', 'tokens'],
  [
    ['all (every tool with its schema)', String(catalog.length), String(allTokens)],
    ['search (search_tools + gateway_status)', String(META_TOOLS.length), String(searchTokens)],
  ],
);
console.log(`search mode lists ${(allTokens / searchTokens).toFixed(0)}x fewer tokens`);

// --- Targets.
const fused = variants['fused (defaults)'];
const gap = (value, target) =>
  value >= target ? '' : ` (short by ${((target - value) * 100).toFixed(1)} points)`;
const targetRows = [];
for (const split of ['tune', 'heldout']) {
  const { hit1, hit3 } = fused.pick(split);
  const half = split === 'tune' ? 'tune half' : 'held-out half';
  targetRows.push([
    `fused Hit@1 >= 85%, ${half}`,
    `${pct(hit1)}${gap(hit1, TARGET_HIT1)}`,
    lib.verdict(hit1 >= TARGET_HIT1),
  ]);
  targetRows.push([
    `fused Hit@3 >= 95%, ${half}`,
    `${pct(hit3)}${gap(hit3, TARGET_HIT3)}`,
    lib.verdict(hit3 >= TARGET_HIT3),
  ]);
}
targetRows.push([
  `search p95 <= ${TARGET_P95_MS} ms at 1,000 tools warm`,
  `${lib.ms(hybridLatency.p95)} ms`,
  lib.verdict(hybridLatency.p95 <= TARGET_P95_MS),
]);
lib.printTable('targets', ['target', 'measured', 'verdict'], targetRows);
console.log(`load avg at end: ${lib.machineInfo().split('load avg ')[1]}`);

for (const search of [lexicalOnly, cold, warm, learner, repeated]) search.close();
