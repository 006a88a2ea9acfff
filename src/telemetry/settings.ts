// Telemetry settings resolved once from the environment (the ADR's SENTRY_* variables) and the
// config file's `telemetry` key, with every default filled in.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PML_VERSION } from '../shared/version.js';

export interface TelemetrySettings {
  dsn: string | undefined;
  spotlight: boolean | string;
  environment: string;
  release: string;
  tracesSampleRate: number;
  /** Per `pml.operation` rates; critical operations default to 1, chatty ones low. */
  operationSampleRates: Record<string, number>;
  recordInputs: boolean;
  recordOutputs: boolean;
  /** Tool results with isError become Sentry issues too (off: they only mark the span). */
  captureToolErrors: boolean;
  /** In-flight envelopes before the SDK drops (its default of 64 loses bursts). */
  bufferSize: number;
  /** From `https_proxy`/`http_proxy`: then the SDK's own transport sends (it knows proxies). */
  httpProxy: string | undefined;
}

export interface TelemetryFileConfig {
  recordInputs?: boolean;
  recordOutputs?: boolean;
  captureToolErrors?: boolean;
  sampleRates?: Record<string, number>;
  bufferSize?: number;
}

// The SDK keeps 64 envelopes in flight and drops the rest: a burst of 10k requests lost 9,491
// transactions. 1000 absorbs bursts while bounding memory; drops beyond it are counted.
const DEFAULT_BUFFER_SIZE = 1000;

const DEFAULT_OPERATION_RATES: Record<string, number> = {
  'mcp.execute_workflow': 1,
  'mcp.execute_code': 1,
  'mcp.tools.list': 0.01,
  'mcp.ping': 0.01,
};

export function resolveTelemetrySettings(
  env: Record<string, string | undefined>,
  file: TelemetryFileConfig = {},
): TelemetrySettings {
  const environment = env.SENTRY_ENVIRONMENT || 'development';
  const spotlight = toSpotlight(env.SENTRY_SPOTLIGHT);
  return {
    dsn: env.SENTRY_DSN || undefined,
    spotlight,
    environment,
    release: env.SENTRY_RELEASE || buildDefaultRelease(),
    tracesSampleRate:
      toRate(env.SENTRY_TRACES_SAMPLE_RATE, 'SENTRY_TRACES_SAMPLE_RATE') ??
      (environment === 'development' ? 1 : 0.1),
    operationSampleRates: {
      ...DEFAULT_OPERATION_RATES,
      ...file.sampleRates,
      ...parseOperationRates(env.PML_TRACES_SAMPLE_RATES),
    },
    recordInputs: file.recordInputs ?? false,
    recordOutputs: file.recordOutputs ?? false,
    captureToolErrors: file.captureToolErrors ?? false,
    bufferSize: file.bufferSize ?? DEFAULT_BUFFER_SIZE,
    httpProxy: env.https_proxy || env.HTTPS_PROXY || env.http_proxy || env.HTTP_PROXY || undefined,
  };
}

export function isTelemetryWanted(settings: TelemetrySettings): boolean {
  return settings.dsn !== undefined || settings.spotlight !== false;
}

function toSpotlight(value: string | undefined): boolean | string {
  if (!value || ['0', 'false', 'no', 'off'].includes(value.toLowerCase())) return false;
  if (['1', 'true', 'yes', 'on'].includes(value.toLowerCase())) return true;
  return value;
}

function toRate(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const rate = Number(value);
  if (!Number.isFinite(rate) || rate < 0 || rate > 1)
    throw new Error(`${name} must be a number from 0 to 1, got "${value}"`);
  return rate;
}

/** `PML_TRACES_SAMPLE_RATES="mcp.tools.list=0.01,mcp.execute_workflow=1"`. */
export function parseOperationRates(value: string | undefined): Record<string, number> {
  const rates: Record<string, number> = {};
  for (const pair of (value ?? '').split(',').filter((part) => part.trim() !== '')) {
    const [operation, rate] = pair.split('=').map((part) => part.trim());
    const parsed = toRate(rate, `PML_TRACES_SAMPLE_RATES (${operation})`);
    if (!operation || parsed === undefined)
      throw new Error(`PML_TRACES_SAMPLE_RATES entries look like "mcp.tools.list=0.01", got "${pair}"`);
    rates[operation] = parsed;
  }
  return rates;
}

/** `pml@<version>+<git sha>` when pml runs from a git checkout, else `pml@<version>`. */
function buildDefaultRelease(): string {
  const sha = readGitSha(join(dirname(fileURLToPath(import.meta.url)), '..', '..'));
  return sha ? `pml@${PML_VERSION}+${sha.slice(0, 12)}` : `pml@${PML_VERSION}`;
}

function readGitSha(root: string): string | undefined {
  try {
    const gitDir = join(root, '.git');
    if (!existsSync(gitDir)) return undefined;
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return head;
    const refPath = join(gitDir, head.slice(5));
    if (existsSync(refPath)) return readFileSync(refPath, 'utf8').trim();
    const packed = readFileSync(join(gitDir, 'packed-refs'), 'utf8');
    return packed
      .split('\n')
      .find((line) => line.endsWith(` ${head.slice(5)}`))
      ?.split(' ')[0];
  } catch {
    return undefined;
  }
}
