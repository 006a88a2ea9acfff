// Public door of workflows: validate a definition into a plan of layers, then run it over the
// WorkflowTools port (the gateway's ToolInvoker fits it).
export { validateWorkflow } from './validate-workflow.js';
export type { PlannedTask, WorkflowPlan } from './validate-workflow.js';
export { runWorkflow } from './run-workflow.js';
export {
  WORKFLOW_INPUT_SCHEMA,
  MAX_WORKFLOW_TASKS,
  MAX_CONCURRENCY,
  DEFAULT_CONCURRENCY,
  DEFAULT_CONCURRENCY_PER_SERVER,
  MAX_TASK_TIMEOUT_MS,
  FAILURE_POLICIES,
} from './workflow-schema.js';
export type { Workflow, WorkflowTask, FailurePolicy } from './workflow-schema.js';
export type { TaskOutcome, TaskStatus, WorkflowResult } from './workflow-result.js';
export type {
  ProgressListener,
  TaskResult,
  WorkflowDeps,
  WorkflowRunContext,
  WorkflowTool,
  WorkflowTools,
} from './ports.js';
