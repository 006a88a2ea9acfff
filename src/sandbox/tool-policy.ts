// Which tools sandboxed code may call (the allow-list of `sandbox.allowTools`) and which calls need
// a person's approval first (`sandbox.approval`). Pure functions over names and annotations.
import type { SandboxApproval } from '../config/index.js';

export interface ToolAnnotations {
  readOnlyHint?: boolean | undefined;
  destructiveHint?: boolean | undefined;
}

/** A matcher for exposed tool names; `*` stands for any run of characters. */
export function buildAllowList(patterns: readonly string[]): (toolName: string) => boolean {
  const expressions = patterns.map(
    (pattern) => new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`),
  );
  return (toolName) => expressions.some((expression) => expression.test(toolName));
}

/** `writes`: a tool that says it may destroy, or does not say it only reads, changes things. */
export function needsApproval(policy: SandboxApproval, annotations: ToolAnnotations | undefined): boolean {
  if (policy === 'never') return false;
  if (policy === 'always') return true;
  return annotations?.destructiveHint === true || annotations?.readOnlyHint !== true;
}

export function isReadOnly(annotations: ToolAnnotations | undefined): boolean {
  return annotations?.readOnlyHint === true && annotations.destructiveHint !== true;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
