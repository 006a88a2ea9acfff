// The executor: runs a validated plan over the WorkflowTools port. A task starts as soon as its
// dependencies have succeeded and a slot is free under the per-server and global caps; tasks are
// grouped by layer for telemetry (a `dag.layer.execute` span per layer, each task's `mcp.client`
// span under its layer's). `fail_fast` cancels what runs and skips the rest at the first failure;
// `continue` skips only the dependents of a failed task. Cancelling the request cancels every task.
import {
  CancelledError,
  DAGExecutionError,
  isCancellation,
  isPmlError,
  toErrorMessage,
} from '../errors/index.js';
import type { RequestScope } from '../telemetry/index.js';
import { ConcurrencyLimiter } from './concurrency-limiter.js';
import type { WorkflowDeps, WorkflowRunContext } from './ports.js';
import { ReferenceError, resolveReferences } from './references.js';
import { toTaskOutput } from './task-output.js';
import type { PlannedTask, WorkflowPlan } from './validate-workflow.js';
import { findCriticalPath, round, type TaskOutcome, type WorkflowResult } from './workflow-result.js';
import { toToolResultText } from '../shared/tool-result-text.js';

export async function runWorkflow(
  plan: WorkflowPlan,
  deps: WorkflowDeps,
  context: WorkflowRunContext,
): Promise<WorkflowResult> {
  const { telemetry } = deps;
  const taskCount = plan.tasks.size;
  telemetry.addBreadcrumb({
    category: 'dag',
    message: `topological sort: ${taskCount} tasks in ${plan.layers.length} layers`,
    data: { layerSizes: plan.layers.map((layer) => layer.length) },
  });
  const run = new WorkflowRun(plan, deps, context);
  const result = await telemetry.traceSpan(
    {
      op: 'dag.execute',
      name: `dag.execute (${taskCount} tasks, ${plan.layers.length} layers)`,
      attributes: {
        'pml.workflow.tasks_count': taskCount,
        'pml.workflow.layers_count': plan.layers.length,
        'pml.workflow.failure_policy': plan.options.failure_policy,
      },
      parent: context.scope,
    },
    (dagScope) => run.run(dagScope),
  );
  const failure = run.toFailure();
  if (failure && result.status !== 'cancelled') telemetry.captureError(failure, { scope: context.scope });
  return result;
}

interface Settled {
  promise: Promise<TaskOutcome>;
  resolve: (outcome: TaskOutcome) => void;
}

class WorkflowRun {
  private readonly startedAtMs = performance.now();
  private readonly settled = new Map<string, Settled>();
  private readonly outcomes = new Map<string, TaskOutcome>();
  /** The thrown error behind each failed task, for the DAGExecutionError's cause. */
  private readonly causes = new Map<string, unknown>();
  /** Aborts on the client's cancel, and on the first failure under fail_fast. */
  private readonly stop = new AbortController();
  private readonly global: ConcurrencyLimiter;
  private readonly perServer = new Map<string, ConcurrencyLimiter>();
  private firstFailure: TaskOutcome | undefined;
  private cancelledByClient = false;

  constructor(
    private readonly plan: WorkflowPlan,
    private readonly deps: WorkflowDeps,
    private readonly context: WorkflowRunContext,
  ) {
    this.global = new ConcurrencyLimiter(plan.options.max_concurrency);
    for (const id of plan.tasks.keys()) {
      let resolve!: (outcome: TaskOutcome) => void;
      const promise = new Promise<TaskOutcome>((done) => (resolve = done));
      this.settled.set(id, { promise, resolve });
    }
  }

  async run(dagScope: RequestScope | undefined): Promise<WorkflowResult> {
    const onClientCancel = () => {
      this.cancelledByClient = true;
      this.stop.abort(new CancelledError('The workflow request was cancelled', { operation: 'tools/call' }));
    };
    if (this.context.signal.aborted) onClientCancel();
    else this.context.signal.addEventListener('abort', onClientCancel, { once: true });
    try {
      await Promise.all(this.plan.layers.map((ids, index) => this.runLayer(index, ids, dagScope)));
      return this.toResult();
    } finally {
      this.context.signal.removeEventListener('abort', onClientCancel);
    }
  }

  /** The DAGExecutionError of the run's first failure, with the DAG's structure (never arguments). */
  toFailure(): DAGExecutionError | undefined {
    const failed = this.firstFailure;
    if (!failed) return undefined;
    return new DAGExecutionError(
      `Task "${failed.id}" (${failed.tool}) failed in layer ${failed.layer}: ${failed.error?.code ?? 'error'}`,
      {
        phase: 'execute',
        taskCount: this.plan.tasks.size,
        taskIds: [...this.plan.tasks.keys()].slice(0, MAX_IDS_IN_ERROR),
        edges: this.plan.edges.slice(0, MAX_IDS_IN_ERROR),
        failedTask: failed.id,
        layer: failed.layer,
        failurePolicy: this.plan.options.failure_policy,
      },
      { cause: this.causes.get(failed.id) },
    );
  }

  private async runLayer(index: number, ids: string[], dagScope: RequestScope | undefined): Promise<void> {
    const tasks = ids.map((id) => this.plan.tasks.get(id)!);
    // The layer's span opens when its first task may start: when that task's dependencies settle.
    await Promise.race(tasks.map((task) => this.waitForDependencies(task)));
    await this.deps.telemetry.traceSpan(
      {
        op: 'dag.layer.execute',
        name: `Layer ${index} (${ids.length} tasks)`,
        attributes: { 'pml.workflow.layer': index, 'pml.workflow.layer_tasks': ids.length },
        parent: dagScope,
      },
      (layerScope) => Promise.all(tasks.map((task) => this.settle(task, layerScope))),
    );
  }

  private waitForDependencies(task: PlannedTask): Promise<TaskOutcome[]> {
    return Promise.all(task.dependsOn.map((id) => this.settled.get(id)!.promise));
  }

  private async settle(task: PlannedTask, scope: RequestScope | undefined): Promise<void> {
    const outcome = await this.runTask(task, scope).catch((error: unknown) => {
      this.causes.set(task.id, error);
      return this.toOutcome(task, 'error', { error: toErrorSummary(error) });
    });
    this.outcomes.set(task.id, outcome);
    if (outcome.status === 'error' && !this.firstFailure) {
      this.firstFailure = outcome;
      if (this.plan.options.failure_policy === 'fail_fast')
        this.stop.abort(
          new CancelledError(`Cancelled because task "${task.id}" failed (fail_fast)`, {
            operation: 'tools/call',
          }),
        );
    }
    this.settled.get(task.id)!.resolve(outcome);
    this.context.onProgress?.({
      progress: this.outcomes.size,
      total: this.plan.tasks.size,
      message: `task ${task.id}: ${outcome.status}`,
    });
  }

  private async runTask(task: PlannedTask, scope: RequestScope | undefined): Promise<TaskOutcome> {
    const dependencies = await this.waitForDependencies(task);
    const blocked = dependencies.find((dependency) => dependency.status !== 'ok');
    if (blocked) {
      const why = blocked.status === 'error' ? 'failed' : `was ${blocked.status}`;
      return this.toOutcome(task, 'skipped', { reason: `it depends on "${blocked.id}", which ${why}` });
    }
    const signal = this.stop.signal;
    const releases: (() => void)[] = [];
    try {
      // The server's slot first: a task waiting for its server holds no global slot meanwhile.
      releases.push(await this.toServerLimiter(task.serverId).acquire(signal));
      releases.push(await this.global.acquire(signal));
    } catch {
      for (const release of releases) release();
      return this.toOutcome(task, 'skipped', { reason: this.toStopReason() });
    }
    try {
      return await this.callTool(task, scope, signal);
    } finally {
      for (const release of releases) release();
    }
  }

  private async callTool(task: PlannedTask, scope: RequestScope | undefined, signal: AbortSignal) {
    let args = task.arguments;
    if (task.hasReferences) {
      try {
        const outputOf = (id: string) => toTaskOutput(this.outcomes.get(id)!.result ?? {});
        args = resolveReferences(task.arguments, outputOf) as Record<string, unknown>;
      } catch (error) {
        if (!(error instanceof ReferenceError)) throw error;
        this.causes.set(task.id, error);
        return this.toOutcome(task, 'error', {
          error: { code: 'REFERENCE_NOT_FOUND', message: error.message },
        });
      }
    }
    const startedAtMs = performance.now();
    const timing = () => ({
      started_at_ms: round(startedAtMs - this.startedAtMs),
      duration_ms: round(performance.now() - startedAtMs),
    });
    try {
      const result = await this.deps.tools.invoke(task.tool, args, {
        signal,
        timeoutMs: task.timeoutMs,
        scope,
      });
      if (result.isError !== true) return this.toOutcome(task, 'ok', { result, ...timing() });
      const error = { code: 'TOOL_RESULT_ERROR', message: toToolResultText(result) };
      return this.toOutcome(task, 'error', { result, error, ...timing() });
    } catch (error) {
      if (signal.aborted && isCancellation(error))
        return this.toOutcome(task, 'cancelled', { reason: this.toStopReason(), ...timing() });
      this.causes.set(task.id, error);
      return this.toOutcome(task, 'error', { error: toErrorSummary(error), ...timing() });
    }
  }

  private toServerLimiter(serverId: string): ConcurrencyLimiter {
    let limiter = this.perServer.get(serverId);
    if (!limiter) {
      limiter = new ConcurrencyLimiter(this.plan.options.max_concurrency_per_server);
      this.perServer.set(serverId, limiter);
    }
    return limiter;
  }

  private toStopReason(): string {
    if (this.cancelledByClient) return 'the workflow request was cancelled';
    return `task "${this.firstFailure?.id ?? '?'}" failed and the failure policy is fail_fast`;
  }

  private toOutcome(
    task: PlannedTask,
    status: TaskOutcome['status'],
    rest: Partial<TaskOutcome>,
  ): TaskOutcome {
    return { id: task.id, tool: task.tool, server: task.serverId, layer: task.layer, status, ...rest };
  }

  private toResult(): WorkflowResult {
    const tasks = [...this.plan.tasks.keys()].map((id) => this.outcomes.get(id)!);
    const critical = findCriticalPath(tasks, (id) => this.plan.tasks.get(id)!.dependsOn);
    const allOk = tasks.every((task) => task.status === 'ok');
    return {
      status: this.cancelledByClient ? 'cancelled' : allOk ? 'ok' : 'failed',
      failure_policy: this.plan.options.failure_policy,
      duration_ms: round(performance.now() - this.startedAtMs),
      critical_path: critical.path,
      critical_path_ms: critical.ms,
      layers: this.plan.layers,
      tasks,
    };
  }
}

/** Ids carried in an error's data: a 1,000-task workflow's whole structure would drown the event. */
const MAX_IDS_IN_ERROR = 100;

function toErrorSummary(error: unknown): { code?: string; message: string } {
  return isPmlError(error)
    ? { code: error.code, message: error.message }
    : { code: 'INTERNAL_ERROR', message: toErrorMessage(error) };
}
