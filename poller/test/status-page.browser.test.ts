import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { configFrom as config } from '../../test-support/config.js';
import { requireTool } from '../../test-support/tools.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/postgres.js';
import { startMonitor, type RunningMonitor } from '../src/app/start-monitor.js';
import { ControllableExporter } from './support/controllable-exporter.js';

const chromiumPath = requireTool('chromium', 'chromium');
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));


describe.skipIf(!chromiumPath)('status page in Chromium', () => {
  let db: TestDatabase;
  let primary: ControllableExporter;
  let replica: ControllableExporter;
  let poller: RunningMonitor;
  let browser: Browser;

  beforeAll(async () => {
    db = await createTestDatabase('chroma_page');
    primary = await new ControllableExporter('chroma-primary').start();
    replica = await new ControllableExporter('chroma-replica').start();
    primary.memoryPercent = 97;
    replica.memoryPercent = 45;
    // A few hours of history so the chart has a line to draw.
    const now = Date.now();
    poller = await startMonitor(
      config({
        interval: '1s',
        timeout: '500ms',
        database_url: db.url,
        listen: { host: '127.0.0.1', port: 0 },
        targets: [
          { service: 'chroma-primary', url: primary.url, plan: 'starter', disk: '10GiB' },
          { service: 'chroma-replica', url: replica.url, plan: 'starter' },
        ],
      }),
      { writeLog: () => undefined, writeAlert: () => undefined },
    );
    poller.store.history.append(
      Array.from({ length: 60 }, (_, i) => ({ service: 'chroma-primary', recordedAt: now - (60 - i) * 5 * 60_000, memoryPercent: 50 + i * 0.7, cpuPercent: 20 + (i % 7), diskUsagePercent: 60, diskFreeGb: 4 })),
    );
    await poller.store.history.flush();
    const deadline = Date.now() + 10_000;
    while ((await poller.status()).services.some((s) => !s.last_scrape_at) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    browser = await chromium.launch({ executablePath: chromiumPath!, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await poller?.stop({ drainMs: 500 });
    await primary?.stop();
    await replica?.stop();
    await db?.drop();
  });

  it('shows every service with values and a chart, marks the critical one, and loads nothing from outside', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    const external: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(poller.url)) external.push(request.url());
    });
    await page.goto(`${poller.url}/`);
    const cards = page.locator('section.card');
    await expect.poll(() => cards.count()).toBe(2);
    const critical = page.locator('section.card[data-service="chroma-primary"]');
    expect(await critical.getAttribute('data-level')).toBe('critical');
    expect(await critical.locator('.badge').innerText()).toBe('CRITICAL');
    expect(await critical.evaluate((el) => getComputedStyle(el).borderLeftColor)).toBe('rgb(220, 38, 38)');
    expect(await critical.innerText()).toContain('Upgrade chroma-primary from Starter ($7/month, 512 MB) to Standard ($25/month, 2 GB): +$18/month');
    expect(await page.locator('section.card[data-service="chroma-replica"]').getAttribute('data-level')).toBe('ok');
    expect(await critical.locator('svg.chart polyline').count()).toBeGreaterThan(0);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}status-page.png`, fullPage: true });
    expect(external).toEqual([]);
  });

  it('is readable on a phone (no horizontal scroll at 390 px)', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${poller.url}/`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${ARTIFACTS}status-page-phone.png`, fullPage: true });
  });
});
