#!/usr/bin/env node
// Entry of the `pml` bin. With telemetry on, stack traces should point at the TypeScript sources;
// Node applies source maps only to modules loaded after they are enabled, so that comes first.
if (process.env.SENTRY_DSN || process.env.SENTRY_SPOTLIGHT) process.setSourceMapsEnabled(true);
await import('./run-cli.js');
