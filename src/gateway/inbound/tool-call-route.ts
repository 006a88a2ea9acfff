// tools/call as a route of the request pipeline: a meta-tool from the table, or a proxied tool
// through the ToolInvoker, with the client's progress token, `_meta` and cancellation carried along.
import type { Caller } from '../core/caller.js';
import type { ToolCallResult, ToolInvoker } from '../core/tool-invoker.js';
import type { MetaToolTable } from '../meta-tools/meta-tool-table.js';
import { toToolCallAnswer } from './error-mapping.js';
import { parseToolCallParams, type ToolCallParams } from './request-params.js';
import type { MethodRoute } from './request-pipeline.js';
import { toToolResultText } from '../../shared/tool-result-text.js';

export const TOOLS_CALL_OPERATION = 'mcp.tools.call';

export function buildToolCallRoute(deps: {
  invoker: ToolInvoker;
  metaTools: MetaToolTable;
  caller: Caller;
}): MethodRoute<ToolCallParams, ToolCallResult> {
  const { invoker, metaTools, caller } = deps;
  return {
    method: 'tools/call',
    parse: parseToolCallParams,
    describe: (params) => ({
      operation: metaTools.find(params.name)?.operation ?? TOOLS_CALL_OPERATION,
      target: params.name,
      tool: params.name,
    }),
    async handle(params, { scope, signal, sendNotification }) {
      // The downstream request gets a token of pml's own (tokens of two clients may be equal).
      const { progressToken, ...meta } = params._meta ?? {};
      // The result must not overtake the last progress notification: a client drops progress that
      // arrives after the result, so the answer waits for the notification to be written.
      let progressSent: Promise<void> = Promise.resolve();
      const onProgress =
        progressToken === undefined
          ? undefined
          : (progress: { progress: number; total?: number; message?: string }) => {
              progressSent = sendNotification({
                method: 'notifications/progress',
                params: { ...progress, progressToken },
              }).catch(() => {});
            };
      const args = params.arguments ?? {};
      scope.recordInput(args);
      const metaTool = metaTools.find(params.name);
      let result: ToolCallResult;
      if (metaTool) {
        result = await metaTools.call(metaTool, args, { signal, caller, onProgress, meta, scope });
      } else {
        result = await invoker.invoke(params.name, params.arguments, {
          signal,
          onProgress,
          meta,
          caller,
          scope,
          onRouted: (serverId) => scope.setServer(serverId),
        });
      }
      await progressSent;
      scope.recordOutput(result);
      if (result.isError === true) scope.markToolError(toToolResultText(result));
      return result;
    },
    answerError(error, scope) {
      const answer = toToolCallAnswer(error);
      scope.markToolError();
      return answer;
    },
  };
}
