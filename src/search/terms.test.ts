import { describe, expect, it } from 'vitest';
import { splitWords, toTerms, tokenizeForIndex } from './terms.js';

describe('splitWords', () => {
  it('splits snake_case, kebab-case, camelCase and the server__ prefix', () => {
    expect(splitWords('filesystem__read_text_file')).toEqual(['filesystem', 'read', 'text', 'file']);
    expect(splitWords('hubspot-create-contact')).toEqual(['hubspot', 'create', 'contact']);
    expect(splitWords('getConfluencePageAncestors')).toEqual(['get', 'Confluence', 'Page', 'Ancestors']);
  });

  it('keeps an acronym together before the next word', () => {
    expect(splitWords('getJSONData')).toEqual(['get', 'JSON', 'Data']);
    expect(splitWords('HassTurnOn')).toEqual(['Hass', 'Turn', 'On']);
  });
});

describe('tokenizeForIndex', () => {
  it('keeps a mixed-case word whole as well as split, so "GitHub" meets the server id github', () => {
    expect(tokenizeForIndex('GitHub repo')).toEqual(['GitHub', 'Git', 'Hub', 'repo']);
    expect(toTerms('GitHub')).toContain(toTerms('github')[0]);
  });
});

describe('toTerms', () => {
  it('lower-cases, drops stop words and stems, so a name and a sentence meet', () => {
    expect(toTerms('listPullRequests')).toEqual(expect.arrayContaining(['list', 'pull', 'request']));
    expect(toTerms('list the pull requests')).toEqual(['list', 'pull', 'request']);
  });

  it('drops the lone letters of a contraction but keeps a single digit', () => {
    expect(toTerms("what's in v2")).toEqual(['v2']);
    expect(toTerms('add 2 and 3')).toEqual(['add', '2', '3']);
  });
});
