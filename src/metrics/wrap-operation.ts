// Times one inbound request and records it: the one place that decides what counts as an error on
// the server side (a thrown error, or a tools/call result with `isError`).
import { TOOL_ERROR, toErrorType } from './error-type.js';
import type { MetricsRegistry } from './types.js';

export async function wrapOperation<T>(
  registry: MetricsRegistry,
  operation: string,
  method: string,
  tool: string | undefined,
  work: () => Promise<T>,
): Promise<T> {
  const startedAtMs = performance.now();
  try {
    const result = await work();
    const errorType =
      (result as { isError?: unknown } | undefined)?.isError === true ? TOOL_ERROR : undefined;
    registry.recordOperation(operation, method, tool, performance.now() - startedAtMs, errorType);
    return result;
  } catch (error) {
    registry.recordOperation(operation, method, tool, performance.now() - startedAtMs, toErrorType(error));
    throw error;
  }
}
