// `pml exec <file|-e code>`: one execute_code run through the gateway. The value goes to stdout as
// JSON (the whole result with --json), the code's console output to stderr. Exits 1 on failure.
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors/index.js';
import type { AppContext } from './context.js';
import { startInProcessGateway } from './in-process-client.js';
import { writeOut } from './output.js';

export async function runExec(
  context: AppContext,
  options: { file?: string | undefined; code?: string | undefined; json: boolean },
): Promise<number> {
  const code = options.code ?? (await readCode(options.file!));
  const gateway = await startInProcessGateway(context);
  try {
    const answer = await gateway.client.callTool({ name: 'execute_code', arguments: { code } });
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
  } finally {
    await gateway.close();
  }
}

async function readCode(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    throw new ConfigError(
      `The code file ${file} ${reason}. Pass a file, or the code itself: pml exec -e 'return 1 + 1'`,
      {
        source: file,
        issues: [{ path: 'code', message: reason }],
      },
    );
  }
}
