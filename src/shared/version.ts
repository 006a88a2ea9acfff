// pml's own version, read once from package.json so the CLI, the MCP handshake and telemetry agree.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const PML_VERSION: string = (require('../../package.json') as { version: string }).version;
