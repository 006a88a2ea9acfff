import { describe, expect, it } from 'vitest';
import type { Tool } from '@modelcontextprotocol/client';
import { toMcpParamHeaders } from './mcp-param-headers.js';

const tool = (properties: Record<string, unknown>): Tool => ({
  name: 't',
  inputSchema: { type: 'object', properties } as Tool['inputSchema'],
});

describe('toMcpParamHeaders', () => {
  it('mirrors a declared argument into its header, and leaves the others out', () => {
    const region = tool({ region: { type: 'string', 'x-mcp-header': 'Region' }, level: { type: 'integer' } });

    expect(toMcpParamHeaders(region, { region: 'eu-west', level: 2 })).toEqual({
      'Mcp-Param-Region': 'eu-west',
    });
  });

  it('finds declarations under nested properties and writes numbers and booleans as text', () => {
    const nested = tool({
      target: {
        type: 'object',
        properties: {
          shard: { type: 'integer', 'x-mcp-header': 'Shard' },
          dry: { type: 'boolean', 'x-mcp-header': 'Dry-Run' },
        },
      },
    });

    expect(toMcpParamHeaders(nested, { target: { shard: 7, dry: false } })).toEqual({
      'Mcp-Param-Shard': '7',
      'Mcp-Param-Dry-Run': 'false',
    });
  });

  it('sends no header for an absent or null argument', () => {
    const region = tool({ region: { type: 'string', 'x-mcp-header': 'Region' } });

    expect(toMcpParamHeaders(region, {})).toEqual({});
    expect(toMcpParamHeaders(region, { region: null })).toEqual({});
    expect(toMcpParamHeaders(undefined, { region: 'x' })).toEqual({});
  });

  it('encodes as Base64 UTF-8 what is not plain printable ASCII, or already looks encoded', () => {
    const name = tool({ name: { type: 'string', 'x-mcp-header': 'Name' } });
    const encoded = (text: string) => `=?base64?${Buffer.from(text, 'utf8').toString('base64')}?=`;

    expect(toMcpParamHeaders(name, { name: 'Zoë' })).toEqual({ 'Mcp-Param-Name': encoded('Zoë') });
    expect(toMcpParamHeaders(name, { name: ' padded' })).toEqual({ 'Mcp-Param-Name': encoded(' padded') });
    expect(toMcpParamHeaders(name, { name: '=?base64?abc?=' })).toEqual({
      'Mcp-Param-Name': encoded('=?base64?abc?='),
    });
  });

  it('ignores a declaration at the root of the schema', () => {
    const root: Tool = {
      name: 't',
      inputSchema: { type: 'object', 'x-mcp-header': 'Root' } as Tool['inputSchema'],
    };

    expect(toMcpParamHeaders(root, {})).toEqual({});
  });
});
