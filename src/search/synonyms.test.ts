import { describe, expect, it } from 'vitest';
import { buildSynonymWords, findNameVerbGroups, findSynonymGroups, toVerbGroups } from './synonyms.js';
import { toTerms } from './terms.js';

const wordsFor = (query: string) => buildSynonymWords(toTerms(query));

describe('buildSynonymWords', () => {
  it('brings in the words tools use for an everyday verb or noun', () => {
    expect(wordsFor('wipe the old rows')).toEqual(expect.arrayContaining(['delete', 'remove', 'record']));
    expect(wordsFor('bill the client')).toEqual(expect.arrayContaining(['invoice', 'customer']));
  });

  it('matches inflected forms through their stems', () => {
    expect(wordsFor('deleting songs')).toEqual(expect.arrayContaining(['remove', 'track']));
  });

  it('reads a phrase as one meaning: "get rid of" means delete, not get', () => {
    const words = wordsFor('get rid of the test VM');
    expect(words).toEqual(expect.arrayContaining(['delete', 'instance']));
    expect(words).not.toContain('fetch');
  });

  it('adds nothing the query already says, and nothing for words of no group', () => {
    expect(wordsFor('delete')).not.toContain('delete');
    expect(wordsFor('zebra quantum')).toEqual([]);
  });
});

describe('verb groups', () => {
  it('finds the verb a tool name starts with, past a server-like prefix', () => {
    const stop = toVerbGroups(findSynonymGroups(toTerms('stop')));
    expect(findNameVerbGroups(toTerms('ec2 stop instances'))).toEqual(stop);
    expect(findNameVerbGroups(toTerms('Hass Turn Off'))).toEqual(stop);
  });

  it('finds no verb in a name made of nouns', () => {
    expect(findNameVerbGroups(toTerms('kubectl rollout'))).toEqual([]);
  });

  it('keeps only verb groups out of a query', () => {
    const groups = findSynonymGroups(toTerms('delete the repo'));
    expect(toVerbGroups(groups)).toHaveLength(1);
    expect(groups.length).toBeGreaterThan(1);
  });
});
