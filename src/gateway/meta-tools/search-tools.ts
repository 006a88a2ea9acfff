// The `search_tools` meta-tool: the proxied tools ranked by meaning and words for a plain-language
// query, each with its input schema so the client can call it at once (in `search` mode they are
// not in tools/list), and the servers not indexed yet: an empty answer never hides a server still
// starting or down. It needs no session: the query is all it reads.
import { InvalidArgumentsError } from '../../errors/index.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../../search/index.js';
import { toNotReadyPhrase } from '../core/server-readiness.js';
import type { ToolSearchService } from '../services/tool-search-service.js';
import type { MetaTool } from './meta-tool.js';

export const SEARCH_TOOLS = 'search_tools';

export function createSearchToolsTool(service: ToolSearchService): MetaTool {
  return {
    tool: {
      name: SEARCH_TOOLS,
      title: 'Find tools by what they do',
      description: `Finds the tools that fit a task described in plain words (e.g. "save a note about a person", "list the files in a folder"), ranked by meaning and wording. Answers each tool's name, score, description and input schema: call the best one directly with tools/call. Use it before guessing tool names.`,
      inputSchema: {
        type: 'object',
        properties: {
          query: { type: 'string', description: 'What you want to do, in a few words.' },
          limit: {
            type: 'integer',
            description: `How many tools to answer (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT}; other values are clamped).`,
          },
        },
        required: ['query'],
        additionalProperties: false,
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    operation: 'mcp.search_tools',
    modes: ['all', 'search', 'code'],
    handle: async (args, context) => {
      const query = args.query as string;
      if (query.trim() === '') {
        throw new InvalidArgumentsError(
          'search_tools needs a query: say in words what the tool should do, e.g. "read a file".',
          {
            tool: SEARCH_TOOLS,
            operation: 'tools/call',
            problems: ['"query" is empty'],
          },
        );
      }
      const { hits, notIndexed } = await service.search(query, {
        limit: args.limit as number | undefined,
        scope: context.scope,
        caller: context.caller,
      });
      context.scope.setData('query_length', query.length);
      context.scope.setData('results', hits.length);
      const answer = {
        hits: hits.map((hit) => ({
          name: hit.name,
          server: hit.serverId,
          score: hit.score,
          ...(hit.description !== undefined ? { description: hit.description } : {}),
          inputSchema: hit.inputSchema,
        })),
        notIndexed,
        ...(notIndexed.length > 0
          ? {
              note: `Not indexed yet, so none of their tools is among the hits: ${notIndexed.map((server) => toNotReadyPhrase(server, Date.now())).join(', ')}. Search again once they are ready; gateway_status says why they are not.`,
            }
          : {}),
      };
      return {
        content: [{ type: 'text', text: JSON.stringify(answer) }],
        structuredContent: answer,
      };
    },
  };
}
