// `pml search "<query>"`: the tools that fit a request, best first, through the gateway's
// search_tools (so the same index, cache and ranking an agent gets). --json prints the hits whole;
// servers not indexed yet are named on stderr either way.
import type { AppContext } from './context.js';
import { runWithInProcessClient } from './in-process-client.js';
import { writeOut } from './output.js';

interface Hit {
  name: string;
  score: number;
  description?: string;
}

export async function runSearch(
  context: AppContext,
  options: { query: string; limit?: number | undefined; json: boolean },
): Promise<number> {
  return runWithInProcessClient(context, async ({ client }) => {
    const answer = await client.callTool({
      name: 'search_tools',
      arguments: { query: options.query, ...(options.limit !== undefined ? { limit: options.limit } : {}) },
    });
    const { hits, note } = (answer.structuredContent ?? {}) as { hits?: Hit[]; note?: string };
    if (!hits) {
      for (const item of (answer.content ?? []) as { text?: string }[])
        process.stderr.write(`${item.text ?? ''}\n`);
      return 1;
    }
    // On stderr, so --json output stays one document; a person still sees which servers are missing.
    if (note) process.stderr.write(`note: ${note}\n`);
    if (options.json) writeOut(JSON.stringify(hits, null, 2));
    else if (hits.length === 0) writeOut('no tool fits; try other words, or pml tools for the whole list');
    else {
      const width = Math.max(...hits.map((hit) => hit.name.length));
      for (const hit of hits) {
        const summary = (hit.description ?? '').split('\n')[0]!.slice(0, 100);
        writeOut(`${hit.score.toFixed(3)}  ${hit.name.padEnd(width)}  ${summary}`.trimEnd());
      }
    }
    return 0;
  });
}
