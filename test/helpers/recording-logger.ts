// A Logger that keeps its warnings, for tests that check what pml warned about.
import type { Logger } from '../../src/shared/logger.js';

export function createRecordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    warnings,
    error: () => {},
    warn: (message) => warnings.push(message),
    info: () => {},
    debug: () => {},
    isEnabled: () => true,
  };
}
