// The SDK's Server, minus its own zod checks of tools/call: it parses each request twice and every
// result once, about a third of a proxy hop. pml checks what matters itself (the tool name, the
// arguments against the tool's JSON Schema), and a result comes from a server whose SDK built it.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { Protocol } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { ErrorCode, type CallToolRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { JsonRpcError } from './to-tool-result.js';

/**
 * Only the method literal the SDK routes by. The params are checked by `toCallToolParams`, which
 * answers a bad request with InvalidParams (a zod failure here would become an internal error).
 */
export const LeanCallToolRequestSchema = z.object({
  method: z.literal('tools/call'),
  params: z.unknown(),
});

export function toCallToolParams(params: unknown): CallToolRequest['params'] {
  const candidate = params as Partial<CallToolRequest['params']> | undefined;
  const problem =
    typeof candidate?.name !== 'string'
      ? 'params.name must be the tool name (a string)'
      : !isOptionalObject(candidate.arguments)
        ? 'params.arguments must be an object'
        : !isOptionalObject(candidate._meta)
          ? 'params._meta must be an object'
          : undefined;
  if (problem) throw new JsonRpcError(ErrorCode.InvalidParams, `Invalid tools/call request: ${problem}.`);
  return candidate as CallToolRequest['params'];
}

function isOptionalObject(value: unknown): boolean {
  return value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value));
}

export class LeanServer extends Server {
  override setRequestHandler: Server['setRequestHandler'] = (schema, handler) => {
    if (schema === (LeanCallToolRequestSchema as unknown)) {
      // Protocol's registration: one cheap parse with the lean schema, no result validation.
      return Protocol.prototype.setRequestHandler.call(this, schema, handler as never);
    }
    return super.setRequestHandler(schema, handler);
  };
}
