// The `execute_code` meta-tool: agent code in the sandbox, calling tools through the ToolInvoker.
// Its description carries TypeScript declarations of the tools code may call, so it is built from
// the current catalog each time tools/list asks. The Deno pool starts on first use (or at start in
// code mode, where execute_code is the main surface) and closes with the gateway.
import type { SandboxConfig } from '../../config/index.js';
import type { Tool } from '../../downstream/index.js';
import {
  buildToolDeclarations,
  createCodeSandbox,
  type CodeRunner,
  type SandboxTools,
} from '../../sandbox/index.js';
import type { Telemetry } from '../../telemetry/index.js';
import type { Caller } from '../core/caller.js';
import type { ClientRegistry } from '../core/client-registry.js';
import type { ToolInvoker } from '../core/tool-invoker.js';
import type { MetaTool } from './meta-tool.js';

export const EXECUTE_CODE = 'execute_code';
const MAX_CODE_CHARS = 100_000;

const BASE_DESCRIPTION =
  "Runs TypeScript or JavaScript in a sandbox with no file, network, environment or process access, and returns its value: `return …`, or the last expression. Top-level await works; console output comes back apart in `logs`; `context` values are read-only variables. Code calls tools with `await tools.<server>.<tool>(args)` or `await tools.call(name, args)`; tools that change things may need the user's approval. Prefer one run that calls several tools and returns only what matters.";

const ALL_MODE_HINT =
  'The tools listed beside this one are `tools.<server>.<tool>` in code: `filesystem__read_text_file` is `tools.filesystem.read_text_file(args)`.';

export interface ExecuteCodeToolDeps {
  invoker: ToolInvoker;
  clients: ClientRegistry;
  telemetry: Telemetry;
  settings: SandboxConfig;
  createRunner: () => CodeRunner;
  /** Resolves once the servers still starting have had their chance: code sees their tools. */
  waitForStartup: () => Promise<void>;
}

export function createExecuteCodeTool(deps: ExecuteCodeToolDeps): MetaTool & { warmUp(): void } {
  const toolsFor = (caller: Caller | undefined): SandboxTools => ({
    list: () =>
      deps.invoker.list().map((description) => ({
        exposedName: description.tool.name,
        serverId: description.serverId,
        originalName: description.originalName,
        description: description.tool.description,
        inputSchema: description.tool.inputSchema as Record<string, unknown>,
        annotations: description.tool.annotations,
      })),
    invoke: (name, args, options) => deps.invoker.invoke(name, args, { ...options, caller }),
    askApproval: toApprovalAsker(deps.clients, caller),
  });
  // One sandbox (one Deno pool) for every run; each run binds the tools to its own caller.
  const sandbox = createCodeSandbox({
    createRunner: deps.createRunner,
    tools: toolsFor(undefined),
    telemetry: deps.telemetry,
    settings: deps.settings,
  });
  const inputSchema = {
    type: 'object' as const,
    properties: {
      code: { type: 'string', minLength: 1, maxLength: MAX_CODE_CHARS, description: 'The code to run.' },
      context: { type: 'object', description: 'Values the code reads as variables of the same names.' },
      timeout_ms: {
        type: 'integer',
        minimum: 1,
        maximum: deps.settings.timeoutMs,
        description: `At most ${deps.settings.timeoutMs} (sandbox.timeoutMs).`,
      },
    },
    required: ['code'],
    additionalProperties: false,
  };
  const definition = (declarations: string): Tool => ({
    name: EXECUTE_CODE,
    title: 'Run code that calls tools',
    description: declarations ? `${BASE_DESCRIPTION}\n\n${declarations}` : BASE_DESCRIPTION,
    inputSchema,
    annotations: { readOnlyHint: false, openWorldHint: true },
  });
  return {
    tool: definition(''),
    // In `all` mode the client already holds every schema: the declarations would repeat them.
    describe: (mode) =>
      mode === 'code'
        ? definition(
            buildToolDeclarations(
              sandbox.reachableTools().map((tool) => ({
                serverId: tool.serverId,
                name: tool.originalName,
                description: tool.description,
                inputSchema: tool.inputSchema,
              })),
            ),
          )
        : definition(ALL_MODE_HINT),
    operation: 'mcp.execute_code',
    modes: ['all', 'code'],
    handle: async (args, context) => {
      await deps.waitForStartup();
      const result = await sandbox.run(
        {
          code: args.code as string,
          context: args.context as Record<string, unknown> | undefined,
          timeout_ms: args.timeout_ms as number | undefined,
        },
        { signal: context.signal, scope: context.scope, tools: toolsFor(context.caller) },
      );
      return {
        content: [{ type: 'text', text: JSON.stringify(result) }],
        structuredContent: result as unknown as Record<string, unknown>,
      };
    },
    warmUp: () => sandbox.warmUp(),
    close: () => sandbox.close(),
  };
}

function toApprovalAsker(clients: ClientRegistry, caller: Caller | undefined): SandboxTools['askApproval'] {
  const client = caller?.clientId === undefined ? undefined : clients.find(caller.clientId);
  if (!client?.supports('elicitation/create')) return undefined;
  return async ({ tool, args }, signal) => {
    const shown = JSON.stringify(args);
    const answer = await client.request(
      {
        method: 'elicitation/create',
        params: {
          message: `Code running in pml wants to call ${tool.exposedName}, which can change things${tool.description ? ` (${tool.description.split('\n')[0]!.slice(0, 200)})` : ''}, with ${shown.length > 500 ? `${shown.slice(0, 500)}…` : shown}. Allow this call?`,
          requestedSchema: {
            type: 'object',
            properties: { allow: { type: 'boolean', title: 'Allow this call', default: true } },
          },
        },
      },
      signal,
    );
    return answer.action === 'accept' && (answer.content as { allow?: unknown } | undefined)?.allow !== false;
  };
}
