// A file a command reads (a workflow, code to run), with an error that says what is wrong and how
// to call the command instead of a bare ENOENT.
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../errors/index.js';

export async function readInputFile(file: string, what: { name: string; usage: string }): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    throw new ConfigError(`The ${what.name} file ${file} ${reason}. ${what.usage}`, {
      source: file,
      issues: [{ path: what.name, message: reason }],
    });
  }
}
