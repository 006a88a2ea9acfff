// `pml run <workflow.json>`: one workflow through the gateway's execute_workflow, printed as a table
// of tasks (or the raw result with --json). Exits 1 unless every task succeeded.
import type { AppContext } from './context.js';
import { runWithInProcessClient } from './in-process-client.js';
import { writeOut } from './output.js';
import { parseJsonObject } from './parse-json-object.js';
import { readInputFile } from './read-input-file.js';

interface TaskRow {
  id: string;
  tool: string;
  status: string;
  started_at_ms?: number;
  duration_ms?: number;
  error?: { message: string };
  reason?: string;
}

export async function runWorkflowFile(
  context: AppContext,
  options: { file: string; json: boolean },
): Promise<number> {
  const workflow = parseJsonObject(
    await readInputFile(options.file, { name: 'workflow', usage: 'Pass a JSON file: pml run workflow.json' }),
    {
      source: options.file,
      name: 'workflow',
      example: '{"tasks": [{"id": "graph", "tool": "memory__read_graph"}]}',
    },
  );
  return runWithInProcessClient(context, async ({ client }) => {
    const answer = await client.callTool({ name: 'execute_workflow', arguments: workflow });
    const result = answer.structuredContent as
      { status: string; duration_ms: number; critical_path_ms: number; tasks: TaskRow[] } | undefined;
    if (options.json) writeOut(JSON.stringify(result ?? answer, null, 2));
    else if (!result) {
      // Refused before it ran (an invalid workflow): the answer's text says why.
      for (const item of (answer.content ?? []) as { text?: string }[]) writeOut(item.text ?? '');
    } else {
      writeOut(toTable(result.tasks));
      const ok = result.tasks.filter((task) => task.status === 'ok').length;
      writeOut(
        `\n${result.status}: ${ok}/${result.tasks.length} tasks ok in ${result.duration_ms} ms (critical path ${result.critical_path_ms} ms)`,
      );
    }
    return answer.isError ? 1 : 0;
  });
}

function toTable(tasks: TaskRow[]): string {
  const rows = tasks.map((task) => [
    task.id,
    task.tool,
    task.status,
    task.started_at_ms === undefined ? '-' : String(Math.round(task.started_at_ms)),
    task.duration_ms === undefined ? '-' : String(Math.round(task.duration_ms)),
    (task.error?.message ?? task.reason ?? '').split('\n')[0]!.slice(0, 100),
  ]);
  const header = ['task', 'tool', 'status', 'start ms', 'ms', 'note'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  return [header, ...rows]
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
