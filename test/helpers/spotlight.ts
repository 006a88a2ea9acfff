// Starts the Spotlight sidecar (Sentry's local dev UI, @spotlightjs/spotlight) as a child process on a
// free port, waits until it answers, and stops it again. The sidecar takes envelopes on POST /stream,
// replays the last 500 on GET /stream (Server-Sent Events) and serves its UI on /.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NODE, ROOT } from './paths.js';

export const SPOTLIGHT_CLI = join(ROOT, 'node_modules', '@spotlightjs', 'spotlight', 'dist', 'run.js');

const EXIT_ON_STDIN_END = "data:text/javascript,process.stdin.on('end',()=>process.exit(0)).resume()";

export interface SpotlightSidecar {
  port: number;
  /** The UI, e.g. http://localhost:8969 (no trailing slash). */
  url: string;
  /** What SENTRY_SPOTLIGHT should be set to. */
  streamUrl: string;
  pid: number;
  /** Everything the sidecar printed so far (stdout and stderr). */
  output(): string;
  /** Closes its stdin and sends SIGTERM, SIGKILL after 5 s; resolves once it is gone. Safe to call twice. */
  stop(): Promise<void>;
}

export async function startSpotlight(options: { timeoutMs?: number } = {}): Promise<SpotlightSidecar> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  if (!existsSync(SPOTLIGHT_CLI)) throw new Error(`Spotlight is not installed: ${SPOTLIGHT_CLI} is missing`);
  // `-p 0` lets the OS pick a free port; the sidecar prints the one it got. It binds all interfaces.
  // The preload makes the sidecar exit when its stdin closes, i.e. when this process dies without
  // calling stop() (a killed or timed-out test worker): a child does not die with its parent.
  const child = spawn(NODE, ['--import', EXIT_ON_STDIN_END, SPOTLIGHT_CLI, 'server', '-p', '0'], {
    cwd: ROOT, // Spotlight resolves source files for stack traces relative to its working directory
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      // The sidecar reports its own errors and traces to sentry.io with a built-in DSN and no opt-out.
      // Its SDK honours https_proxy, so a proxy that refuses connections keeps all of that on this
      // machine. SENTRY_SPOTLIGHT/SENTRY_DSN are not inherited, so it never reports to itself either.
      https_proxy: 'http://127.0.0.1:9',
    },
    stdio: ['pipe', 'pipe', 'pipe'], // stdin stays open until we exit: see EXIT_ON_STDIN_END
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.stdin.end(); // the preload exits at once; SIGTERM alone would wait on the open stdin
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
  };

  try {
    const deadline = Date.now() + timeoutMs;
    const port = await waitUntil(deadline, () => {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`Spotlight exited (${child.exitCode ?? child.signalCode}) before listening`);
      const match = /Spotlight listening on (\d+)/.exec(output);
      return match ? Number(match[1]) : undefined;
    });
    const url = `http://localhost:${port}`;
    let lastAnswer = 'no answer';
    await waitUntil(deadline, async () => {
      let response: Response;
      try {
        response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) });
        await response.arrayBuffer();
      } catch {
        return undefined; // not accepting connections yet
      }
      lastAnswer = `HTTP ${response.status}, x-powered-by: ${response.headers.get('x-powered-by')}`;
      // Spotlight 4.11.8 with an unpinned hono answers 500 to every request; package.json's
      // "overrides": {"hono": "4.12.25"} fixes that. Fail at once rather than time out.
      if (response.status >= 500)
        throw new Error(`Spotlight answers ${lastAnswer} on /health (is the hono override in place?)`);
      return response.ok && response.headers.get('x-powered-by') === 'spotlight-by-sentry';
    }).catch((error: unknown) => {
      throw new Error(
        `${error instanceof Error ? error.message : String(error)}; last /health: ${lastAnswer}`,
      );
    });
    return {
      port,
      url,
      streamUrl: `${url}/stream`,
      pid: child.pid!,
      output: () => output,
      stop,
    };
  } catch (error) {
    await stop();
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\nSpotlight output:\n${output}`,
    );
  }
}

async function waitUntil<T>(
  deadline: number,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('Spotlight did not become ready in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Reads the sidecar's replay of received envelopes (GET /stream, Server-Sent Events) until `match`
 * finds something in it, or throws after `timeoutMs` with what did arrive.
 */
export async function waitForEnvelope<T>(
  sidecar: SpotlightSidecar,
  match: (envelopes: unknown[]) => T | undefined,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let seen: unknown[] = [];
  while (Date.now() < deadline) {
    // The replay comes at once on connect; a short read per attempt is enough.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), Math.min(1_000, Math.max(1, deadline - Date.now())));
    let text = '';
    try {
      const response = await fetch(sidecar.streamUrl, {
        headers: { accept: 'text/event-stream' },
        signal: controller.signal,
      });
      const decoder = new TextDecoder();
      for await (const chunk of response.body ?? []) {
        text += decoder.decode(chunk as Uint8Array, { stream: true });
        seen = parseSse(text);
        const found = match(seen);
        if (found !== undefined) return found;
      }
    } catch {
      // Aborted after the read window, or not answering: try again until the deadline.
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `Spotlight: no matching envelope within ${timeoutMs} ms; received ${seen.length}:\n${JSON.stringify(seen).slice(0, 2_000)}`,
  );
}

/** `data:` lines of Spotlight's SSE stream: each is one envelope as [header, [[itemHeader, payload], …]]. */
function parseSse(text: string): unknown[] {
  const envelopes: unknown[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('data: ')) continue;
    try {
      envelopes.push(JSON.parse(line.slice(6)));
    } catch {
      // A line cut off at the end of this read; the next attempt reads it whole.
    }
  }
  return envelopes;
}
