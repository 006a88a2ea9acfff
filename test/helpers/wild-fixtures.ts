// Where the wild tier's fixture servers live, as specs the direct-and-through-pml helper can start.
import { join } from 'node:path';
import type { ServerSpec } from './direct-and-through-pml.js';
import { NODE, ROOT } from './paths.js';

export type WildFixture =
  'noisy-stdout' | 'slow-start' | 'duplicate-tools' | 'invalid-schema' | 'odd-names' | 'many-tools';

export function wildFixture(name: WildFixture, env: Record<string, string> = {}): ServerSpec {
  return { command: NODE, args: [join(ROOT, 'test', 'fixtures', 'wild', `${name}-server.mjs`)], env };
}
