import { describe, expect, it } from 'vitest';
import { buildLexicalIndex } from './lexical-index.js';
import { DEFAULT_RANKING } from './ranking-options.js';
import { buildToolDocument } from './tool-documents.js';

const tools = [
  { name: 'jira__createJiraIssue', serverId: 'jira', description: 'Create an issue.', inputSchema: {} },
  {
    name: 'aws__ec2_terminate_instances',
    serverId: 'aws',
    description: 'Terminate EC2 instances.',
    inputSchema: {},
  },
  {
    name: 'github__list_issues',
    serverId: 'github',
    description: 'List issues in a GitHub repository.',
    inputSchema: {},
  },
].map(buildToolDocument);
const index = buildLexicalIndex(tools, DEFAULT_RANKING);

describe('buildLexicalIndex', () => {
  it('matches the words of a camelCase name against a sentence', () => {
    const scores = index.score('create a jira issue');
    expect(scores[0]).toBeGreaterThan(scores[2]!);
    expect(scores[1]).toBe(0);
  });

  it('finds the server by its id when the query writes it in mixed case', () => {
    const byServerOnly = buildLexicalIndex(
      [
        {
          name: 'github__list_issues',
          serverId: 'github',
          description: 'List issues of a repository.',
          inputSchema: {},
        },
        {
          name: 'gitlab__list_issues',
          serverId: 'gitlab',
          description: 'List issues of a project.',
          inputSchema: {},
        },
      ].map(buildToolDocument),
      DEFAULT_RANKING,
    );
    const scores = byServerOnly.score('issues on GitHub');
    expect(scores[0]).toBeGreaterThan(scores[1]!);
  });

  it('counts extra words at their lower weight, and not at all with weight 0', () => {
    expect(index.score('destroy the vm')[1]).toBe(0);
    const withSynonyms = index.score('destroy the vm', ['terminate', 'instance'], 0.3);
    expect(withSynonyms[1]).toBeGreaterThan(0);
    expect(withSynonyms[1]).toBeLessThan(index.score('terminate instance')[1]!);
    expect(index.score('destroy the vm', ['terminate'], 0)[1]).toBe(0);
  });
});
