// Every JSON example in the README and docs/ is read from the files themselves and must load: valid
// JSON (no comments, no trailing commas), and a config example must pass pml's own config checks.
// Every relative link must reach a file of this repository: whoever clones it has nothing else.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';
import { ROOT } from '../helpers/paths.js';

const DOC_FILES = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', name)),
];
const FENCE = /^```(\w*)\n([\s\S]*?)^```/gm;
const CONFIG_KEYS = ['mcpServers', 'gateway', 'telemetry'];

interface Example {
  file: string;
  line: number;
  language: string;
  text: string;
}

function findExamples(): Example[] {
  return DOC_FILES.flatMap((file) => {
    const markdown = readFileSync(join(ROOT, file), 'utf8');
    return [...markdown.matchAll(FENCE)]
      .filter((match) => match[1]!.startsWith('json'))
      .map((match) => ({
        file,
        line: markdown.slice(0, match.index).split('\n').length,
        language: match[1]!,
        text: match[2]!,
      }));
  });
}

// Examples name variables such as ${GITHUB_TOKEN}; any value shows the example is well formed.
const anyEnvironment = new Proxy({}, { get: () => 'example-value' }) as Record<string, string>;

describe('the JSON examples in the docs', () => {
  const examples = findExamples();

  it('finds the config examples of the README and the telemetry page', () => {
    expect(examples.map((example) => example.file)).toEqual(
      expect.arrayContaining(['README.md', join('docs', 'telemetry.md')]),
    );
  });

  it.each(examples.map((example) => [`${example.file}:${example.line}`, example] as const))(
    '%s is plain JSON that pml loads',
    (_where, example) => {
      expect(example.language).toBe('json');
      const value = JSON.parse(example.text) as Record<string, unknown>;
      if (!CONFIG_KEYS.some((key) => key in value)) return;
      expect(() =>
        resolveConfig(value, {
          source: example.file,
          dataDir: '/tmp/pml-docs',
          env: anyEnvironment,
          baseDir: ROOT,
        }),
      ).not.toThrow();
    },
  );
});

describe('the links in the docs', () => {
  it('stay inside the repository and reach files that exist', () => {
    const broken = DOC_FILES.flatMap((file) => {
      const markdown = readFileSync(join(ROOT, file), 'utf8');
      return [...markdown.matchAll(/\]\(([^)#\s]+)[^)]*\)/g)]
        .map((match) => match[1]!)
        .filter((target) => !/^[a-z]+:/i.test(target))
        .filter((target) => {
          const path = resolve(ROOT, dirname(file), target);
          return relative(ROOT, path).startsWith('..') || !existsSync(path);
        })
        .map((target) => `${file} → ${target}`);
    });
    expect(broken).toEqual([]);
  });
});
