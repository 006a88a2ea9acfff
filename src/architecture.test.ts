// Pins the layout: imports point one way (cli → app → features → errors/shared), no cycle anywhere
// in src/, only telemetry/ imports Sentry, and inside gateway/ the core knows neither the inbound
// (client-facing) side nor the meta-tools.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));
const IMPORT = /(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g;

function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listSources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every source file (relative to src/) with the specifiers it imports. */
function readImports(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const path of listSources(SRC)) {
    const text = readFileSync(path, 'utf8');
    const specifiers = [...text.matchAll(IMPORT)].map((match) => (match[1] ?? match[2])!);
    const resolved = specifiers.map((specifier) =>
      specifier.startsWith('.')
        ? relative(SRC, resolve(dirname(path), specifier)).replace(/\.js$/, '.ts')
        : specifier,
    );
    graph.set(relative(SRC, path), resolved);
  }
  return graph;
}

/** Strongly connected components of more than one file, or a file importing itself (Tarjan). */
function findCycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const lowLinks = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string) => {
    indices.set(node, index);
    lowLinks.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!indices.has(next)) {
        visit(next);
        lowLinks.set(node, Math.min(lowLinks.get(node)!, lowLinks.get(next)!));
      } else if (onStack.has(next)) lowLinks.set(node, Math.min(lowLinks.get(node)!, indices.get(next)!));
    }
    if (lowLinks.get(node) !== indices.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || graph.get(node)?.includes(node)) cycles.push(component.sort());
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return cycles;
}

const graph = readImports();
const importsOf = (prefix: string) =>
  [...graph]
    .filter(([file]) => file.startsWith(prefix))
    .flatMap(([file, targets]) => targets.map((target) => `${file} → ${target}`));
const folderOf = (target: string) => target.split('/').slice(0, -1).join('/');

describe('the source layout', () => {
  it('reads the imports of every source file', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('gateway/inbound/session.ts')).toContain('gateway/core/gateway-core.ts');
  });

  it('has no import cycle anywhere in src/', () => {
    expect(findCycles(graph)).toEqual([]);
  });

  it('finds a cycle when there is one', () => {
    const withCycle = new Map([
      ...graph,
      ['errors/index.ts', [...(graph.get('errors/index.ts') ?? []), 'app/index.ts']],
    ]);
    expect(findCycles(withCycle).length).toBeGreaterThan(0);
  });

  it('lets only telemetry/ import Sentry', () => {
    const offenders = [...graph]
      .filter(
        ([file, targets]) =>
          !file.startsWith('telemetry/') && targets.some((target) => target.startsWith('@sentry/')),
      )
      .map(([file]) => file);
    expect(offenders).toEqual([]);
  });

  it('points imports one way: cli → app → features → errors and shared', () => {
    const rules: [string, RegExp][] = [
      ['app/', /^cli\//],
      ['gateway/', /^(cli|app)\//],
      ['downstream/', /^(cli|app|gateway)\//],
      // Features reach the gateway's ToolInvoker through ports of their own, and never each other.
      ['dag/', /^(cli|app|gateway|downstream|search|storage|sandbox)\//],
      ['search/', /^(cli|app|gateway|downstream|dag|storage|sandbox)\//],
      ['storage/', /^(cli|app|gateway|downstream|dag|search|sandbox)\//],
      ['sandbox/', /^(cli|app|gateway|downstream|dag|search|storage)\//],
      ['config/', /^(cli|app|gateway|downstream|telemetry|metrics)\//],
      ['metrics/', /^(cli|app|gateway|downstream)\//],
      ['telemetry/', /^(cli|app|gateway|downstream|metrics)\//],
      ['pii/', /^(cli|app|gateway|downstream|telemetry|metrics|config|errors)\//],
      ['errors/', /^(?!errors\/)[a-z-]+\//],
      ['shared/', /^(?!shared\/)[a-z-]+\//],
    ];
    const offenders = rules.flatMap(([prefix, forbidden]) =>
      importsOf(prefix).filter((edge) => forbidden.test(edge.split(' → ')[1]!)),
    );
    expect(offenders).toEqual([]);
  });

  it('keeps the gateway core apart from the inbound side and the meta-tools', () => {
    const fromCore = importsOf('gateway/core/').filter((edge) =>
      /^gateway\/(inbound|meta-tools)\//.test(edge.split(' → ')[1]!),
    );
    const fromMetaTools = importsOf('gateway/meta-tools/').filter((edge) =>
      /^gateway\/inbound\//.test(edge.split(' → ')[1]!),
    );
    expect([...fromCore, ...fromMetaTools]).toEqual([]);
  });

  it('reaches another capability folder only through its index.ts (shared/ is a toolbox without one)', () => {
    const offenders = [...graph].flatMap(([file, targets]) =>
      targets
        .filter(
          (target) => target.endsWith('.ts') && folderOf(target) !== '' && !target.endsWith('/index.ts'),
        )
        .filter((target) => file.split('/')[0] !== target.split('/')[0] && !target.startsWith('shared/'))
        .map((target) => `${file} → ${target}`),
    );
    expect(offenders).toEqual([]);
  });
});
