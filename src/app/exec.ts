// `pml exec <file|-e code>`: one execute_code run through the gateway. The value goes to stdout as
// JSON (the whole result with --json), the code's console output to stderr. Exits 1 on failure.
import type { AppContext } from './context.js';
import { runWithInProcessClient } from './in-process-client.js';
import { writeOut } from './output.js';
import { readInputFile } from './read-input-file.js';

export async function runExec(
  context: AppContext,
  options: { file?: string | undefined; code?: string | undefined; json: boolean },
): Promise<number> {
  const code =
    options.code ??
    (await readInputFile(options.file!, {
      name: 'code',
      usage: "Pass a file, or the code itself: pml exec -e 'return 1 + 1'",
    }));
  return runWithInProcessClient(context, async ({ client }) => {
    const answer = await client.callTool({ name: 'execute_code', arguments: { code } });
    const result = answer.structuredContent as
      { value: unknown; logs: { level: string; text: string }[] } | undefined;
    if (options.json) writeOut(JSON.stringify(result ?? answer, null, 2));
    else if (!result) {
      for (const item of (answer.content ?? []) as { text?: string }[])
        process.stderr.write(`${item.text ?? ''}\n`);
    } else {
      for (const line of result.logs) process.stderr.write(`[${line.level}] ${line.text}\n`);
      writeOut(result.value === undefined ? '' : JSON.stringify(result.value, null, 2));
    }
    return answer.isError ? 1 : 0;
  });
}
