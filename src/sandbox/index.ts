// Public door of the code sandbox: agent code in a Deno subprocess with no permissions (deno/),
// its tool calls checked against the allow-list and the approval policy, results cached when they
// can be, and the TypeScript declarations that code mode shows of the callable tools.
export { createDenoCodeRunner } from './deno/index.js';
export type { DenoCodeRunnerOptions } from './deno/index.js';
export type { CodeRunner, CodeRunRequest, CodeRunResult, ToolCallRequest } from './code-runner.js';
export { createCodeSandbox, toToolValue } from './run-sandboxed-code.js';
export type {
  CodeSandbox,
  CodeSandboxDeps,
  ExecuteCodeInput,
  ExecuteCodeResult,
  RunContext,
  ToolCallRecord,
} from './run-sandboxed-code.js';
export type { ApprovalQuestion, SandboxTool, SandboxTools } from './sandbox-ports.js';
export { buildToolDeclarations, buildServerDeclarations, DESCRIBE_TOOLS } from './tool-declarations.js';
export type { DeclaredTool } from './tool-declarations.js';
