// Public door of the composition root: one function per command, built from the resolved context.
export { buildContext } from './context.js';
export type { AppContext, ContextOptions } from './context.js';
export { runServe } from './serve.js';
export type { ServeOptions } from './serve.js';
export { runTools } from './tools.js';
export { runCall } from './call.js';
export { runWorkflowFile } from './run-workflow.js';
export { runExec } from './exec.js';
export { runSearch } from './search.js';
export { runDoctor } from './doctor.js';
export { runStats } from './stats.js';
export type { StatsOptions } from './stats.js';
