// A tools/list answer is read one tool at a time: a tool whose definition the MCP schema refuses
// (an inputSchema whose root says `"required": "x"`, a missing name) would make the SDK refuse the
// whole page, and every tool of the server would be lost. pml leaves such a tool out (a client's SDK
// would refuse pml's whole list for it) and says which and why.
import { specTypeSchemas } from '@modelcontextprotocol/client';

export type InvalidToolListener = (name: string, problem: string) => void;

/** Removes, in place, the tools of a tools/list result that are not valid MCP tools. */
export function dropInvalidTools(result: Record<string, unknown>, onDropped: InvalidToolListener): void {
  const tools = result.tools;
  if (!Array.isArray(tools)) return;
  const valid = tools.filter((tool: unknown) => {
    const outcome = specTypeSchemas.Tool['~standard'].validate(tool);
    if (outcome instanceof Promise || !outcome.issues) return true;
    const problem = outcome.issues
      .slice(0, 3)
      .map(
        (issue) =>
          `${(issue.path ?? []).map((key) => String(typeof key === 'object' ? key.key : key)).join('.') || '(tool)'}: ${issue.message}`,
      )
      .join('; ');
    onDropped(toName(tool), problem);
    return false;
  });
  if (valid.length !== tools.length) result.tools = valid;
}

function toName(tool: unknown): string {
  const name = (tool as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : '(a tool without a name)';
}
