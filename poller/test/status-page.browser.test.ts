/**
 * The status page in Chromium (Debian package, playwright-core), at desktop
 * and phone widths: summary line, severity order, charts with axis and
 * threshold labels, hover values, the range switch, "No history yet", a
 * stale down service, the incident timeline and the cost panel. Screenshots
 * go to test-artifacts/; the desktop one is copied to docs/status-page.png,
 * the README's screenshot.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { configFrom as config } from '../../test-support/config.js';
import { requireTool } from '../../test-support/tools.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/postgres.js';
import { startMonitor, type RunningMonitor } from '../src/app/start-monitor.js';
import { ControllableExporter } from './support/controllable-exporter.js';

const chromiumPath = requireTool('chromium', 'chromium');
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const README_SCREENSHOT = fileURLToPath(new URL('../../docs/status-page.png', import.meta.url));
const MIN = 60_000;

describe.skipIf(!chromiumPath)('status page in Chromium', () => {
  let db: TestDatabase;
  let primary: ControllableExporter;
  let replica: ControllableExporter;
  let flaky: ControllableExporter;
  let bare: Server;
  let poller: RunningMonitor;
  let browser: Browser;

  /** Opens the page without its automatic refresh, which would reload it under a slow test. */
  const open = async (width: number, path = '/?range=6h'): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(`${poller.url}${path}&refresh=off`);
    return page;
  };

  beforeAll(async () => {
    db = await createTestDatabase('chroma_page');
    primary = await new ControllableExporter('chroma-primary').start();
    replica = await new ControllableExporter('chroma-replica').start();
    flaky = await new ControllableExporter('chroma-sync').start();
    primary.memoryPercent = 97;
    replica.memoryPercent = 45;
    flaky.memoryPercent = 60;
    // A target that answers but serves none of the series the poller reads: down (SCRAPE_EMPTY), never any history.
    bare = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end('lb_requests_total 12\n');
    });
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    poller = await startMonitor(
      config({
        interval: '1s',
        timeout: '500ms',
        database_url: db.url,
        listen: { host: '127.0.0.1', port: 0 },
        targets: [
          { service: 'chroma-replica', url: replica.url, plan: 'starter' },
          { service: 'chroma-lb', url: `http://127.0.0.1:${(bare.address() as AddressInfo).port}/metrics` },
          { service: 'chroma-sync', url: flaky.url, plan: 'starter' },
          { service: 'chroma-primary', url: primary.url, plan: 'starter', disk: '10GiB' },
        ],
      }),
      { writeLog: () => undefined, writeAlert: () => undefined },
    );
    // Three hours of primary history with a 40-minute outage in the middle (a gap, not a line across it).
    const now = Date.now();
    poller.store.history.append(
      Array.from({ length: 180 }, (_, i) => ({ service: 'chroma-primary', recordedAt: now - (180 - i) * MIN, memoryPercent: 60 + i * 0.2, cpuPercent: 20 + (i % 7), diskUsagePercent: 60, diskFreeGb: 4 }))
        .filter((_, i) => i < 70 || i > 110),
    );
    await poller.store.history.flush();
    const deadline = Date.now() + 10_000;
    while ((await poller.status()).services.some((s) => !s.last_scrape_at) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    // chroma-sync goes down after it was scraped: its values are stale.
    await flaky.stop();
    while (!(await poller.status()).services.find((s) => s.service === 'chroma-sync')?.stale && Date.now() < deadline + 5_000) await new Promise((r) => setTimeout(r, 100));
    // A message Slack refused, for the timeline's "failed and why".
    await db.query(
      "INSERT INTO alert_outbox (alert_key, level, created_at, notification, status, attempts, last_error, next_attempt_at) VALUES ('chroma-replica:disk', 'warning', now() - interval '1 hour', $1::jsonb, 'failed', 1, 'HTTP 404 no_service', now())",
      [JSON.stringify({ service: 'chroma-replica', resource: 'disk', title: 'chroma-replica - Disk Warning' })],
    );
    browser = await chromium.launch({ executablePath: chromiumPath!, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await poller?.stop({ drainMs: 500 });
    await primary?.stop();
    await replica?.stop();
    await new Promise((resolve) => bare?.close(resolve));
    await db?.drop();
  });

  it.each([
    { name: 'desktop', width: 1280 },
    { name: 'phone', width: 390 },
  ])('$name: summary line, cards by severity, the stale down service, and nothing loaded from outside', async ({ name, width }) => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const external: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(poller.url)) external.push(request.url());
    });
    await page.goto(`${poller.url}/?refresh=off`);
    expect(await page.locator('#summary').innerText()).toBe('1 critical · 1 ok · 2 down');
    expect(await page.locator('section.card').evaluateAll((cards) => cards.map((c) => `${c.getAttribute('data-service')}:${c.getAttribute('data-level')}`))).toEqual([
      'chroma-primary:critical',
      'chroma-lb:down',
      'chroma-sync:down',
      'chroma-replica:ok',
    ]);
    // On a phone the critical card is the first thing under the summary.
    const firstCard = await page.locator('section.card').first().boundingBox();
    expect(firstCard!.y).toBeLessThan(900);
    const down = page.locator('section.card[data-service="chroma-sync"]');
    expect(await down.locator('td.v.stale').count()).toBe(4);
    expect(await down.locator('.stale-note').innerText()).toMatch(/^values from \d+ s ago \(stale: the target is down\)$/);
    expect(await down.locator('.reason').innerText()).toMatch(/^Service down/);
    // A target that is not an exporter: down with the reason, and advice about the config, not about OOM kills.
    const notAnExporter = page.locator('section.card[data-service="chroma-lb"]');
    expect(await notAnExporter.locator('.reason').innerText()).toBe('Service down: serves none of the series chroma-monitor reads (resource_*, pg_*, chroma_*): is the URL an exporter\'s /metrics?');
    expect(await notAnExporter.locator('.action').innerText()).toBe("The service may be running fine: point this target's url at its exporter's /metrics (the sidecar, or the app's startResourceMonitoring port)");
    const critical = page.locator('section.card[data-service="chroma-primary"]');
    expect(await critical.locator('.reason').innerText()).toBe('Memory usage CRITICAL: 97.0%');
    expect(await critical.locator('.action').innerText()).toContain('Upgrade chroma-primary from Starter ($7/month, 512 MB) to Standard ($25/month, 2 GB): +$18/month');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}status-page-${name}.png`, fullPage: true });
    if (name === 'desktop') await copyFile(`${ARTIFACTS}status-page-${name}.png`, README_SCREENSHOT);
    expect(external).toEqual([]);
  });

  it.each([1280, 390])('at %i px every chart has a % axis, local-time labels and its own labelled thresholds; gaps stay gaps; a target with no history says so', async (width) => {
    const page = await open(width);
    const charts = page.locator('section.card[data-service="chroma-primary"] figure.chart');
    expect(await charts.evaluateAll((fs) => fs.map((f) => f.getAttribute('data-chart')))).toEqual(['Memory', 'CPU', 'Disk']);
    const memory = charts.first();
    expect(await memory.locator('text.ylabel').allTextContents()).toEqual(['0%', '50%', '100%']);
    expect(await memory.locator('text.thlabel').allTextContents()).toEqual(['warn 80%', 'crit 95%']);
    expect(await charts.nth(2).locator('text.thlabel').allTextContents()).toEqual(['warn 80%', 'crit 90%']);
    const times = await memory.locator('text.xlabel').allTextContents();
    expect(times).toHaveLength(4);
    // The script rewrote the UTC labels in the browser's local time.
    const expected = await memory.locator('text.xlabel').evaluateAll((els) => els.map((el) => new Date(Number(el.getAttribute('data-t'))).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })));
    expect(times).toEqual(expected);
    // The 40-minute outage splits the memory line in two (the live scrapes add a third run at the right).
    expect(await memory.locator('polyline.series').count()).toBeGreaterThanOrEqual(2);
    const empty = page.locator('section.card[data-service="chroma-lb"] figure.chart');
    expect(await empty.locator('.no-history').allInnerTexts()).toEqual(['No history yet', 'No history yet', 'No history yet']);
    // Series colours are not the level colours.
    const colours = await page.locator('polyline.series').evaluateAll((ls) => [...new Set(ls.map((l) => l.getAttribute('stroke')))]);
    for (const colour of colours) expect(['#15803d', '#b45309', '#b91c1c', '#4b5563']).not.toContain(colour);
  });

  it.each([1280, 390])('at %i px hovering a point shows its value and local time', async (width) => {
    const page = await open(width);
    const point = page.locator('section.card[data-service="chroma-primary"] figure.chart[data-chart="Memory"] circle.pt').first();
    await point.hover({ force: true });
    const tip = page.locator('#tip');
    await expect.poll(() => tip.isVisible()).toBe(true);
    expect(await tip.innerText()).toMatch(/^Memory 6\d\.\d% at /);
  });

  it.each([1280, 390])('at %i px the range switch: 1h shows the last hour only, marked as current', async (width) => {
    const page = await open(width);
    await page.locator('.ranges a', { hasText: '1h' }).first().click();
    await page.waitForURL(/range=1h&refresh=off/);
    expect(await page.locator('.ranges a.on').first().innerText()).toBe('1h');
    const ats = await page.locator('section.card[data-service="chroma-primary"] figure.chart[data-chart="Memory"] circle.pt').evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('data-t'))));
    expect(Math.min(...ats)).toBeGreaterThanOrEqual(Date.now() - 3_600_000 - 60_000);
  });

  it.each([1280, 390])('at %i px the incident timeline lists alerts newest first with delivery status, and filters by service', async (width) => {
    const page = await open(width);
    const rows = page.locator('#timeline tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
    const failed = page.locator('#timeline tr[data-service="chroma-replica"]');
    const local = await failed.locator('time').evaluate((el) => new Date(el.getAttribute('datetime')!).toLocaleString());
    expect(await failed.locator('td').allInnerTexts()).toEqual([local, 'warning', 'chroma-replica', 'disk', 'chroma-replica - Disk Warning', 'failed: HTTP 404 no_service (not retried)']);
    expect(await page.locator('#timeline tr[data-service="chroma-primary"]').first().locator('td').nth(4).innerText()).toBe('chroma-primary - Memory Critical');
    await page.locator('#timeline a', { hasText: 'chroma-replica' }).click();
    await page.waitForURL(/refresh=off&service=chroma-replica/);
    expect(await page.locator('#timeline tbody tr').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-service')))).toEqual(['chroma-replica']);
  });

  it.each([1280, 390])('at %i px the cost panel: plans, monthly cost now and after, the recommended change', async (width) => {
    const page = await open(width, '/?range=24h');
    expect(await page.locator('noscript').count(), 'refresh=off: no meta refresh either').toBe(0);
    const primaryRow = page.locator('#cost tr', { hasText: 'chroma-primary' });
    const cells = await primaryRow.locator('td').allInnerTexts();
    expect(cells.slice(0, 5)).toEqual(['chroma-primary', 'starter', '$9.50', 'plan Starter → Standard (+$18.00/month)', '$27.50']);
    expect(await page.locator('#cost tr.total td').allInnerTexts()).toEqual(['Total', '', '$23.50', '', '$41.50', '', '']);
    expect(await page.locator('#cost').innerText()).toContain('Not counted (set targets[].plan): chroma-lb');
  });

  it('serves the stylesheet and script with a year of caching; the page itself is never cached', async () => {
    const html = await (await fetch(`${poller.url}/`)).text();
    const css = /href="(\/assets\/page-[0-9a-f]{12}\.css)"/.exec(html)![1]!;
    const js = /src="(\/assets\/page-[0-9a-f]{12}\.js)"/.exec(html)![1]!;
    for (const path of [css, js, '/favicon.svg']) {
      const response = await fetch(`${poller.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control'), path).toBe('public, max-age=31536000, immutable');
    }
    expect((await fetch(`${poller.url}/`)).headers.get('cache-control')).toBe('no-store');
  });
});
