import { describe, expect, it } from 'vitest';
import { dropInvalidTools } from './valid-tools.js';

describe('dropInvalidTools', () => {
  it('leaves out only the tools the MCP schema refuses, and says which and why', () => {
    const result = {
      tools: [
        { name: 'fine', inputSchema: { type: 'object', properties: { x: { type: 'strin' } } } },
        { name: 'broken_root', inputSchema: { type: 'object', required: 'x' } },
        { inputSchema: { type: 'object' } },
      ],
    };
    const dropped: string[] = [];
    dropInvalidTools(result, (name, problem) => dropped.push(`${name}: ${problem}`));
    expect(result.tools.map((tool) => tool.name)).toEqual(['fine']);
    expect(dropped).toEqual([
      expect.stringMatching(/^broken_root: inputSchema\.required: .*array/),
      expect.stringMatching(/^\(a tool without a name\): name: /),
    ]);
  });

  it('leaves a result that is not a tool list alone', () => {
    const result = { content: [{ type: 'text', text: 'hi' }] };
    dropInvalidTools(result, () => expect.unreachable());
    expect(result).toEqual({ content: [{ type: 'text', text: 'hi' }] });
  });
});
