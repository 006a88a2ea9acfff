// Spotlight end to end: the built gateway with SENTRY_SPOTLIGHT pointed at a real Spotlight sidecar
// (no DSN), one tools/call, then the Spotlight UI in headless Chromium must show that trace and its
// mcp.client child span. Screenshots go to the temp dir for a human look. The browser comes with
// `npm ci` (@sparticuz/chromium unpacks its binary into the temp dir), so no machine skips this.
import sparticuz from '@sparticuz/chromium';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureServer, startStdioGateway, textOf, type StdioGateway } from '../helpers/gateway.js';
import { isAlive } from '../helpers/processes.js';
import { startSpotlight, waitForEnvelope, type SpotlightSidecar } from '../helpers/spotlight.js';

// The package's own flags, plus those that keep Chromium from calling out of this offline machine.
const CHROMIUM_ARGS = [
  ...sparticuz.args,
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const TRACE_NAME = 'tools/call fixture__echo';
const SCREENSHOTS = {
  trace: join(tmpdir(), 'pml-spotlight-trace.png'),
  span: join(tmpdir(), 'pml-spotlight-span.png'),
};

type Transaction = {
  type?: string;
  transaction?: string;
  contexts?: { trace?: { op?: string; trace_id?: string } };
  spans?: { op?: string; description?: string; span_id?: string }[];
};

/** The first transaction named `name` in Spotlight's envelopes ([header, [[itemHeader, payload], …]]). */
const findTransaction =
  (name: string) =>
  (envelopes: unknown[]): Transaction | undefined => {
    for (const envelope of envelopes) {
      const items = (Array.isArray(envelope) ? envelope[1] : []) as [unknown, Transaction][];
      for (const [, payload] of items) {
        if (payload?.type === 'transaction' && payload.transaction === name) return payload;
      }
    }
    return undefined;
  };

describe('Spotlight shows the gateway trace', () => {
  let spotlight: SpotlightSidecar;
  let gateway: StdioGateway;
  let browser: Browser;
  let traceId = '';
  let clientSpanId = '';

  beforeAll(async () => {
    spotlight = await startSpotlight();
    // Each kept as soon as it is up, so that afterAll stops the gateway even when the browser fails.
    await Promise.all([
      startStdioGateway(
        { mcpServers: { fixture: fixtureServer() } },
        { env: { SENTRY_SPOTLIGHT: spotlight.streamUrl } }, // no SENTRY_DSN: Spotlight alone turns telemetry on
      ).then((started) => (gateway = started)),
      sparticuz
        .executablePath()
        .then((executablePath) => chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true }))
        .then((launched) => (browser = launched)),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    await spotlight?.stop();
  });

  it('delivers the tools/call transaction to the sidecar with no DSN', async () => {
    const result = await gateway.client.callTool({ name: 'fixture__echo', arguments: { text: 'spotted' } });
    expect(textOf(result)).toContain('spotted');
    expect(gateway.stderr()).toMatch(/telemetry on/);

    // Straight from the sidecar's replay: proves POST /stream accepted the envelope before the UI is involved.
    const transaction = await waitForEnvelope(spotlight, findTransaction(TRACE_NAME));
    expect(transaction.contexts?.trace?.op).toBe('mcp.server');
    const child = transaction.spans?.find((span) => span.op === 'mcp.client');
    expect(child).toMatchObject({ description: 'tools/call echo' });
    traceId = transaction.contexts?.trace?.trace_id ?? '';
    clientSpanId = child?.span_id ?? '';
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('lists the trace in the Spotlight UI and opens its mcp.client span', async () => {
    expect(traceId, 'the previous test found no transaction').not.toBe('');
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    // The UI reports its own telemetry to sentry.io: keep the browser on the sidecar.
    await context.route(
      (url) => url.origin !== spotlight.url,
      (route) => route.abort(),
    );
    const page = await context.newPage();
    try {
      await page.goto(`${spotlight.url}/telemetry/traces`);
      const row = page.getByText(TRACE_NAME, { exact: true }).first();
      await row.waitFor({ timeout: 10_000 });
      await expectVisible(page, traceId.slice(0, 8)); // the row's short trace id: it is our trace

      await row.click();
      await page.waitForURL(new RegExp(`/telemetry/traces/${traceId}`), { timeout: 10_000 });
      await expectVisible(page, 'mcp.server');
      await expectVisible(page, 'mcp.client');
      await page.screenshot({ path: SCREENSHOTS.trace });

      await page.getByText('mcp.client', { exact: true }).first().click();
      await page.waitForURL(new RegExp(`/telemetry/traces/${traceId}/spans/${clientSpanId}`), {
        timeout: 10_000,
      });
      // The details panel renders after the URL changes; its data block names the op and the server.
      const details = await waitForPageText(page, /sentry\.op\s*:\s*"mcp\.client"/);
      expect(details).toContain('tools/call echo');
      expect(details).toMatch(/mcp\.server\.id\s*:\s*"fixture"/);
      await page.screenshot({ path: SCREENSHOTS.span });
    } finally {
      await context.close();
    }
  });

  it('stops the sidecar without leaving its process behind', async () => {
    await spotlight.stop();
    expect(isAlive(spotlight.pid)).toBe(false);
  });
});

async function expectVisible(page: Page, text: string): Promise<void> {
  await page.getByText(text, { exact: true }).first().waitFor({ state: 'visible', timeout: 10_000 });
}

/** Waits until the page's visible text matches, and returns it; fails with the text seen last. */
async function waitForPageText(page: Page, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  await page
    .waitForFunction(
      // Runs in the page, where `document` is the page's.
      ({ source, flags }) =>
        new RegExp(source, flags).test(
          (globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText,
        ),
      { source: pattern.source, flags: pattern.flags },
      { timeout: timeoutMs },
    )
    .catch(() => undefined); // the assertion below reports what the page showed instead
  const text = await page.locator('body').innerText();
  expect(text).toMatch(pattern);
  return text;
}
