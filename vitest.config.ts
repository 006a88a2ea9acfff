// Five projects: unit tests beside the code (src/), in-process integration tests, end-to-end tests
// against the built CLI, the MCP conformance suite, and the wild tier (the built CLI in front of
// third-party and misbehaving servers, compared with what a client gets from them directly). `npx vitest --project unit` runs the quick ones alone.
import { defineConfig } from 'vitest/config';

const shared = { testTimeout: 30_000, hookTimeout: 60_000, pool: 'forks' as const };

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: 'unit', include: ['src/**/*.test.ts'] } },
      { test: { ...shared, name: 'integration', include: ['test/integration/**/*.test.ts'] } },
      { test: { ...shared, name: 'e2e', include: ['test/e2e/**/*.test.ts', 'test/helpers/**/*.test.ts'] } },
      // The official MCP conformance suite (run with the Node 22 of tools/conformance).
      { test: { ...shared, name: 'conformance', include: ['test/conformance/**/*.test.ts'] } },
      { test: { ...shared, name: 'wild', include: ['test/wild/**/*.test.ts'] } },
    ],
  },
});
