// A client that goes away takes the read end of pml's stderr with it. Every later log line then fails
// to write; unhandled, each failure is an uncaught error that pml logs, to stderr, again: a pml seen
// spinning at full CPU, deaf to SIGTERM, long after its client was gone. The built logger, in a child
// process whose stderr the test closes, must drop such lines without raising anything.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { NODE, ROOT } from '../helpers/paths.js';

const LOGGER = pathToFileURL(join(ROOT, 'dist', 'shared', 'logger.js')).href;

// Logs one line when told on stdin (after the test has closed its stderr), then reports on stdout
// how many uncaught errors it saw, and exits.
const CHILD = `
import { createStderrLogger } from ${JSON.stringify(LOGGER)};
const logger = createStderrLogger({ level: 'info' });
let uncaught = 0;
process.on('uncaughtException', (error) => { uncaught++; logger.error('uncaught: ' + error.message); });
logger.info('ready');
process.stdin.once('data', () => {
  logger.info('a line nobody reads');
  // A failed write is reported on a later tick of the loop: two turns let it arrive.
  setImmediate(() => setImmediate(() => { process.stdout.write(String(uncaught)); process.exit(0); }));
});
`;

it('drops log lines once the reader of its stderr is gone, raising nothing', async () => {
  const child = spawn(NODE, ['--input-type=module', '-e', CHILD], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  await new Promise((resolve) => child.stderr.once('data', resolve));
  child.stderr.destroy();
  child.stdin.write('go\n');

  const code = await new Promise((resolve) => child.once('exit', resolve));

  expect(code).toBe(0);
  expect(stdout).toBe('0');
});
