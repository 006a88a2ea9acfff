import { describe, expect, it } from 'vitest';
import { buildActionMatch, buildCatalogIndex, buildServerMention } from './catalog-index.js';
import { DEFAULT_RANKING } from './ranking-options.js';
import { findSynonymGroups, toVerbGroups } from './synonyms.js';
import { toTerms } from './terms.js';

const tool = (name: string, serverId: string, description = '') => ({
  name,
  serverId,
  description,
  inputSchema: {},
});
const { index, duplicates } = buildCatalogIndex(
  [
    tool('google_drive__gdrive_delete_file', 'google_drive', 'Move a file to the trash.'),
    tool('google_drive__gdrive_read_file', 'google_drive', 'Read a file.'),
    tool('slack__slack_post_message', 'slack', 'Post a message.'),
    tool('slack__slack_post_message', 'slack', 'A second copy.'),
  ],
  DEFAULT_RANKING,
);

describe('buildCatalogIndex', () => {
  it('keeps the first tool of a name and reports the rest', () => {
    expect(index.tools).toHaveLength(3);
    expect(duplicates).toEqual(['slack__slack_post_message']);
    expect([...index.serverOf]).toEqual([0, 0, 1]);
  });

  it('weighs rare terms above common ones, and unknown ones most', () => {
    expect(index.idf('trash')).toBeGreaterThan(index.idf('file'));
    expect(index.idf('zebra')).toBeGreaterThan(index.idf('trash'));
  });
});

describe('buildServerMention', () => {
  it('is the share of the server id the query names', () => {
    expect([...buildServerMention(index, toTerms('open my google drive'))]).toEqual([1, 0]);
    expect([...buildServerMention(index, toTerms('post on slack about google'))]).toEqual([0.5, 1]);
  });
});

describe('buildActionMatch', () => {
  const verbsOf = (query: string) => toVerbGroups(findSynonymGroups(toTerms(query)));

  it('marks the tools whose name starts with a verb meaning what the query asks', () => {
    expect([...buildActionMatch(index, verbsOf('wipe the old report'))!]).toEqual([1, 0, 0]);
    expect([...buildActionMatch(index, verbsOf('tell the team'))!]).toEqual([0, 0, 1]);
  });

  it('says nothing when the query asks for no known action', () => {
    expect(buildActionMatch(index, verbsOf('quarterly report'))).toBeUndefined();
  });
});
