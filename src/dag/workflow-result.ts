// What a workflow run answers: each task's status, result or error and timing, the run's duration
// and its critical path (the longest chain of dependent tasks by their measured durations, i.e. the
// shortest the run could have taken with unlimited parallelism and no overhead).

export type TaskStatus = 'ok' | 'error' | 'skipped' | 'cancelled';

export interface TaskOutcome {
  id: string;
  tool: string;
  server: string;
  layer: number;
  status: TaskStatus;
  result?: Record<string, unknown> | undefined;
  error?: { code?: string | undefined; message: string } | undefined;
  /** Why a task did not run: the dependency that failed, or the run's end. */
  reason?: string | undefined;
  /** Milliseconds from the run's start to the call leaving, and the call's duration. */
  started_at_ms?: number | undefined;
  duration_ms?: number | undefined;
}

export interface WorkflowResult {
  status: 'ok' | 'failed' | 'cancelled';
  failure_policy: string;
  duration_ms: number;
  critical_path: string[];
  critical_path_ms: number;
  layers: string[][];
  tasks: TaskOutcome[];
}

/** The critical path over the tasks that ran (a skipped task takes no time). */
export function findCriticalPath(
  outcomes: readonly TaskOutcome[],
  dependsOn: (id: string) => readonly string[],
): { path: string[]; ms: number } {
  const byId = new Map(outcomes.map((outcome) => [outcome.id, outcome]));
  const best = new Map<string, { ms: number; previous: string | undefined }>();
  // Outcomes come in layer order, so every dependency is settled before its dependents.
  const ordered = [...outcomes].sort((a, b) => a.layer - b.layer);
  for (const outcome of ordered) {
    let previous: string | undefined;
    let longest = 0;
    for (const dependency of dependsOn(outcome.id)) {
      const before = best.get(dependency)?.ms ?? 0;
      if (byId.has(dependency) && before > longest) [longest, previous] = [before, dependency];
    }
    best.set(outcome.id, { ms: longest + (outcome.duration_ms ?? 0), previous });
  }
  let end: string | undefined;
  for (const [id, entry] of best) if (end === undefined || entry.ms > best.get(end)!.ms) end = id;
  const path: string[] = [];
  for (let id = end; id !== undefined; id = best.get(id)!.previous) path.unshift(id);
  return { path, ms: end === undefined ? 0 : round(best.get(end)!.ms) };
}

export function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
