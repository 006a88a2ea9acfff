// The "did you mean" table: near-misses a model makes of `<server>__<tool>` names, and what each gets.
import { describe, expect, it } from 'vitest';
import { MAX_SUGGESTIONS, suggestToolNames, type SuggestionCandidate } from './tool-suggestions.js';

const catalog = (serverId: string, tools: string[]): SuggestionCandidate[] =>
  tools.map((tool) => ({ serverId, exposedName: `${serverId}__${tool}` }));

const CANDIDATES: SuggestionCandidate[] = [
  ...catalog('everything', ['echo', 'get-sum', 'get-env', 'get-tiny-image', 'toggle-logging']),
  ...catalog('memory', ['read_graph', 'search_nodes', 'open_nodes', 'create_entities', 'delete_entities']),
  ...catalog('fixture', ['echo', 'slow', 'hang']),
  ...catalog('fs', ['ls']),
];

describe('suggestToolNames', () => {
  it.each([
    ['a typo', 'everything__echoo', ['everything__echo']],
    ['a transposition', 'everything__ehco', ['everything__echo']],
    ['one underscore for two', 'memory_read_graph', ['memory__read_graph']],
    ['one underscore for two, with a typo', 'memory_read_grpah', ['memory__read_graph']],
    ['a dot for the separator', 'memory.read_graph', ['memory__read_graph']],
    ['a slash for the separator', 'memory/read_graph', ['memory__read_graph']],
    ['a colon and a space for the separator', 'memory: read_graph', ['memory__read_graph']],
    ['a space for the separator', 'memory read_graph', ['memory__read_graph']],
    // Short names leave no room for edits: only the shape fix finds these.
    ['a dot on a short name', 'fs.ls', ['fs__ls']],
    ['a slash on a short name', 'fs/ls', ['fs__ls']],
    ['a colon and a space on a short name', 'fs: ls', ['fs__ls']],
    ['the wrong case on a short name', 'FS__LS', ['fs__ls']],
    ['a bare name', 'read_graph', ['memory__read_graph']],
    ['the wrong case', 'Memory__Read_Graph', ['memory__read_graph']],
    ['a misspelt server', 'memroy__read_graph', ['memory__read_graph']],
    ['a dash for an underscore', 'memory__read-graph', ['memory__read_graph']],
    ['a bare name two servers share', 'echo', ['everything__echo', 'fixture__echo']],
    ['the right tool on the wrong server', 'memory__echo', ['everything__echo', 'fixture__echo']],
    ['nothing close', 'launch_rocket', []],
    ['nothing close on a known server', 'memory__launch_rocket', []],
  ])('answers %s (%s)', (_kind, typed, expected) => {
    expect(suggestToolNames(typed, CANDIDATES)).toEqual(expected);
  });

  it('ranks a shape fix before a typo, and one typo before two', () => {
    const candidates = [
      ...catalog('notes', ['read_notes', 'read_note', 'reed_note']),
      { serverId: 'notes', exposedName: 'read-note' },
    ];
    // `read_note` is the bare name (no edit); `read-note` and `reed_note` are one edit; `read_notes` one.
    expect(suggestToolNames('read_note', candidates)).toEqual([
      'notes__read_note',
      'notes__read_notes',
      'notes__reed_note',
      'read-note',
    ]);
    expect(suggestToolNames('notes__raed_notes', candidates)).toEqual([
      'notes__read_notes',
      'notes__read_note',
      'notes__reed_note',
    ]);
  });

  it('answers at most five names, the closest ones', () => {
    const many = catalog('s', ['tool_0', 'tool_1', 'tool_2', 'tool_3', 'tool_4', 'tool_5', 'tool_66']);
    // Every one is a single edit from `tool_9` but `tool_66` (two): the first five in catalog order.
    expect(suggestToolNames('s__tool_9', many)).toEqual(
      ['tool_0', 'tool_1', 'tool_2', 'tool_3', 'tool_4'].map((tool) => `s__${tool}`),
    );
    expect(MAX_SUGGESTIONS).toBe(5);
  });

  it('suggests nothing from an empty catalog', () => {
    expect(suggestToolNames('everything__echo', [])).toEqual([]);
  });
});
