// What pml says of itself to a client of either era: its capabilities and its instructions.
import type { ServerCapabilities } from '@modelcontextprotocol/server';

export const GATEWAY_CAPABILITIES: ServerCapabilities = {
  tools: { listChanged: true },
  resources: { subscribe: true, listChanged: true },
  prompts: { listChanged: true },
  logging: {},
  completions: {},
};

export const GATEWAY_INSTRUCTIONS =
  'pml is a gateway: tools from several MCP servers appear here as <server>__<tool>. gateway_status shows their health.';
