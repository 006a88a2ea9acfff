// server-everything over stdio, straight and through pml: tools, calls, progress, sampling,
// elicitation, logging, resources, prompts, completion and a bad argument compared side by side.
import { afterAll, beforeAll, describe } from 'vitest';
import { openBothWays, sameServer, type BothWays } from '../helpers/direct-and-through-pml.js';
import { EVERYTHING_SERVER, NODE } from '../helpers/paths.js';
import { compareEverything, EVERYTHING_ID, everythingClientOptions } from './everything-comparisons.js';

let both: BothWays;

beforeAll(async () => {
  both = await openBothWays(
    sameServer(EVERYTHING_ID, { command: NODE, args: [EVERYTHING_SERVER, 'stdio'] }),
    everythingClientOptions,
  );
});

afterAll(async () => {
  await both?.close();
});

describe('server-everything over stdio', () => {
  compareEverything(() => both);
});
