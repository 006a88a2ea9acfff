// The `execute_workflow` meta-tool: a DAG of tool calls in one request. dag/ validates and runs it
// over the ToolInvoker; this row adapts the two and shapes the answer (per-task outcomes as
// structured content, `isError` when a task did not succeed).
import { randomUUID } from 'node:crypto';
import {
  runWorkflow,
  validateWorkflow,
  WORKFLOW_INPUT_SCHEMA,
  type WorkflowResult,
  type WorkflowTools,
} from '../../dag/index.js';
import { CancelledError, toErrorMessage } from '../../errors/index.js';
import type { Logger } from '../../shared/logger.js';
import type { Telemetry } from '../../telemetry/index.js';
import type { ToolInvoker } from '../core/tool-invoker.js';
import type { StorageAccess } from '../services/storage-access.js';
import type { MetaTool } from './meta-tool.js';

export const EXECUTE_WORKFLOW = 'execute_workflow';

export interface ExecuteWorkflowDeps {
  invoker: ToolInvoker;
  telemetry: Telemetry;
  /** Where finished runs are kept (their structure and timing, never arguments or results). */
  storage?: StorageAccess | undefined;
  logger?: Logger | undefined;
}

export function createExecuteWorkflowTool(deps: ExecuteWorkflowDeps): MetaTool {
  const { invoker, telemetry } = deps;
  const runs = createRunKeeper(deps);
  return {
    tool: {
      name: EXECUTE_WORKFLOW,
      title: 'Run several tool calls as one workflow',
      description:
        'Runs tool calls as a dependency graph in one request: tasks whose inputs are ready run in parallel. A task\'s arguments may use an earlier task\'s output: "$OUTPUT[id]" for all of it, "$OUTPUT[id].path.to[0]" for a part (JSON text is parsed), also inside longer strings; such a reference makes the task wait for that one. Answers each task\'s status (ok, error, skipped, cancelled), result or error and timing, plus the critical path.',
      inputSchema: WORKFLOW_INPUT_SCHEMA as unknown as Record<string, unknown> & { type: 'object' },
      annotations: { readOnlyHint: false, openWorldHint: true },
    },
    operation: 'mcp.execute_workflow',
    // Code mode lists only what code needs: code calls tools itself.
    modes: ['all', 'search'],
    // The workflow's own validation names the task at fault, which a JSON Schema check cannot.
    checksOwnArguments: true,
    handle: async (args, context) => {
      const tools: WorkflowTools = {
        lookup: (name) => invoker.lookup(name),
        invoke: (name, taskArgs, options) =>
          invoker.invoke(name, taskArgs, { ...options, caller: context.caller }),
      };
      const plan = await validateWorkflow(args, tools);
      context.scope.setData('pml.workflow.tasks_count', plan.tasks.size);
      context.scope.setData('pml.workflow.layers_count', plan.layers.length);
      const startedAt = new Date();
      const result = await runWorkflow(plan, { tools, telemetry }, context);
      runs.keep(startedAt, result);
      if (context.signal.aborted)
        throw new CancelledError('The workflow request was cancelled', { operation: 'tools/call' });
      const summary = `Workflow ${result.status}: ${result.tasks.filter((task) => task.status === 'ok').length}/${result.tasks.length} tasks ok in ${result.duration_ms} ms (critical path ${result.critical_path_ms} ms).`;
      return {
        content: [{ type: 'text', text: `${summary}\n${JSON.stringify(result)}` }],
        structuredContent: result as unknown as Record<string, unknown>,
        ...(result.status === 'ok' ? {} : { isError: true }),
      };
    },
    // Runs still waiting to be saved are saved before storage closes.
    close: () => runs.flush(),
  };
}

/**
 * Keeps finished runs in storage off the answer's path: a PGlite insert runs on this thread and
 * held the answer back ~15 ms when it started at once (bench/dag), so saves wait a moment, and
 * close() saves what is still waiting.
 */
const SAVE_DELAY_MS = 20;

function createRunKeeper(deps: ExecuteWorkflowDeps) {
  const waiting = new Map<NodeJS.Timeout, () => Promise<void>>();
  const save = async (startedAt: Date, result: WorkflowResult) => {
    const tasks = result.tasks.map(({ result: _result, ...outcome }) => outcome);
    try {
      const storage = await deps.storage?.get();
      await storage?.workflowRuns.save({
        id: randomUUID(),
        startedAt,
        durationMs: result.duration_ms,
        status: result.status,
        tasks: { tasks, layers: result.layers, critical_path: result.critical_path },
      });
    } catch (error) {
      deps.logger?.warn(`could not keep the workflow run: ${toErrorMessage(error)}`);
    }
  };
  return {
    keep(startedAt: Date, result: WorkflowResult): void {
      if (!deps.storage) return;
      const run = () => save(startedAt, result);
      const timer = setTimeout(() => {
        waiting.delete(timer);
        void run();
      }, SAVE_DELAY_MS);
      timer.unref();
      waiting.set(timer, run);
    },
    async flush(): Promise<void> {
      const runs = [...waiting];
      waiting.clear();
      for (const [timer] of runs) clearTimeout(timer);
      await Promise.all(runs.map(([, run]) => run()));
    },
  };
}
