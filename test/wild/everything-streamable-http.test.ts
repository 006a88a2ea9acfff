// server-everything over Streamable HTTP, straight and through pml (configured with the server's URL): the
// same comparisons as over stdio.
import { afterAll, beforeAll, describe } from 'vitest';
import { openBothWays, sameServer, type BothWays } from '../helpers/direct-and-through-pml.js';
import { compareEverything, EVERYTHING_ID, everythingClientOptions } from './everything-comparisons.js';
import { startEverythingOverHttp, type EverythingOverHttp } from './everything-over-http.js';

let server: EverythingOverHttp;
let both: BothWays;

beforeAll(async () => {
  server = await startEverythingOverHttp('streamableHttp');
  both = await openBothWays(
    sameServer(EVERYTHING_ID, { url: server.url, type: 'http' }),
    everythingClientOptions,
  );
});

afterAll(async () => {
  await both?.close();
  await server?.stop();
});

describe('server-everything over Streamable HTTP', () => {
  compareEverything(() => both);
});
