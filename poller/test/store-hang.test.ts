/**
 * A PostgreSQL that hangs (accepts, never answers; open connections frozen)
 * must not stall the scrape loop: one bounded wait, then the store fails at
 * once until a check finds it answering, alerts go out from memory, no cycle
 * is skipped. And once it answers again, /status says so and what was held in
 * memory reaches the outbox. The real poller in-process, the real PostgreSQL
 * behind a proxy that stalls (support/pg-stall-proxy.ts), a local Slack.
 * Claims are counts (cycles, skipped cycles, messages), not durations.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { configFrom } from '../../test-support/config.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/postgres.js';
import { ManualClock, Redactor } from '@chroma-monitor/shared';
import type { AlertNotification } from '../src/alerting/index.js';
import { loadCatalog } from '../src/config/index.js';
import { createLogger } from '../src/app/logger.js';
import { Monitor, type DigestedScrape } from '../src/app/monitor.js';
import { PollerMetrics } from '../src/app/poller-metrics.js';
import { startMonitor, type RunningMonitor } from '../src/app/start-monitor.js';
import { NotificationDispatcher, SlackWebhookSender } from '../src/notify/index.js';
import { scrapeTarget } from '../src/scrape/index.js';
import { renderAlerts } from '../src/slack/index.js';
import { openStore } from '../src/store/index.js';
import { PgStallProxy } from './support/pg-stall-proxy.js';
import { SlackReceiver } from './support/slack-receiver.js';
import { exporterBody } from './support/target-farm.js';

const SERVICES = ['svc-a', 'svc-b', 'svc-c', 'svc-d'];

/** Four exporters on one server, disk at 85 % (near the warning: forecasts read history), memory as set. */
async function startExporters(memory: Map<string, number>): Promise<{ url(service: string): string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const service = (req.url ?? '').split('/')[1] ?? '';
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }).end(exporterBody(service, { memoryRatio: memory.get(service) ?? 0.4, diskRatio: 0.85 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (service) => `http://127.0.0.1:${port}/${service}/metrics`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The subject line of every message received, grouped ones included (each alert's title is a line of the text). */
const texts = (receiver: SlackReceiver) => receiver.requests.map((r) => r.body.text);
const received = (receiver: SlackReceiver, title: string) => texts(receiver).some((t) => t.includes(title));

interface Rig {
  db: TestDatabase;
  proxy: PgStallProxy;
  receiver: SlackReceiver;
  exporters: Awaited<ReturnType<typeof startExporters>>;
  memory: Map<string, number>;
  poller: RunningMonitor;
  logs: string[];
}

/** @param probe also mount the PostgreSQL probe, through the same proxy, as target chroma-metadata. */
async function startRig(probe: boolean): Promise<Rig> {
  const db = await createTestDatabase('chroma_hang');
  const proxy = new PgStallProxy();
  const port = await proxy.start();
  const receiver = await new SlackReceiver().start();
  const memory = new Map<string, number>();
  const exporters = await startExporters(memory);
  const databaseUrl = db.urlVia('127.0.0.1', port);
  const logs: string[] = [];
  const poller = await startMonitor(
    configFrom({
      interval: '2s',
      timeout: '1s',
      resolve_after: '0s',
      database_url: databaseUrl,
      listen: { host: '127.0.0.1', port: 0 },
      slack: { webhook_url: receiver.url },
      targets: [
        ...SERVICES.map((service) => ({ service, url: exporters.url(service), plan: 'starter', disk: '10GiB' })),
        ...(probe ? [{ service: 'chroma-metadata', url: 'http://127.0.0.1:0/probe/postgres', plan: 'free' }] : []),
      ],
      ...(probe ? { probes: { postgres: { database_url: databaseUrl, limit: '1GiB' } } } : {}),
    }),
    { writeLog: (line) => logs.push(line) },
  );
  return { db, proxy, receiver, exporters, memory, poller, logs };
}

describe('a PostgreSQL that hangs (blackholed: accepts, never answers)', () => {
  let rig: Rig | null = null;
  afterEach(async () => {
    if (!rig) return;
    rig.proxy.resume();
    await rig.poller.stop({ drainMs: 500 });
    await rig.proxy.stop();
    await rig.exporters.close();
    await rig.receiver.stop();
    await rig.db.drop();
    rig = null;
  });

  it('fault A: frozen at 2 s intervals, no cycle is skipped; a Critical crossing while frozen reaches Slack within 2 cycles; "Database Probe Down" follows its 3 failed scrapes plus at most one store wait', async () => {
    rig = await startRig(true);
    const { poller, proxy, receiver, memory } = rig;
    // Running, the disk warnings out, history read for forecasts (disk 85 % is near the warning).
    await expect.poll(async () => (await poller.status()).scheduler.cycles, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    await receiver.waitForRequests(1, 20_000);

    proxy.stall();
    const atFreeze = (await poller.status()).scheduler;
    // One bounded wait (a connect or statement deadline, in the background), then the store says so.
    await expect.poll(async () => (await poller.status()).store.ok, { timeout: 30_000 }).toBe(false);
    expect((await poller.status()).store.last_error).toContain('database not answering');

    memory.set('svc-b', 0.97);
    const atCrossing = (await poller.status()).scheduler.cycles;
    await expect.poll(() => received(receiver, 'svc-b - Memory Critical'), { timeout: 20_000 }).toBe(true);
    const atDelivery = (await poller.status()).scheduler.cycles;
    // Seen at the next scrape, sent from memory in that cycle: within one interval, give or take the tick in progress.
    expect(atDelivery - atCrossing).toBeLessThanOrEqual(2);

    await expect.poll(() => received(receiver, 'chroma-metadata - Database Probe Down'), { timeout: 30_000 }).toBe(true);
    const atProbeDown = (await poller.status()).scheduler;
    // 3 failed scrapes of the probe; at most one store deadline (connect 5 s, statement 10 s + 1 s = 6 cycles) on top.
    expect(atProbeDown.cycles - atFreeze.cycles).toBeLessThanOrEqual(3 + 6 + 1);
    // Scraping never waited for the store.
    expect(atProbeDown.skipped_cycles - atFreeze.skipped_cycles).toBe(0);
    expect(rig.logs.join('\n')).not.toContain('cycle skipped');
    // Every Critical once: nothing was sent twice while the store failed at once.
    expect(texts(receiver).filter((t) => t.includes('svc-b - Memory Critical'))).toHaveLength(1);
  }, 120_000);

  // Without the probe: its "Probe Down" and "Recovered" would be new alerts, and a new alert written
  // to the outbox is what used to clear the notifier.
  it('fault B: a Critical sent from memory while frozen, then PostgreSQL answers again: /status says the notifier is ok (pending 0, no error) without a new alert', async () => {
    rig = await startRig(false);
    const { poller, proxy, receiver, memory } = rig;
    await expect.poll(async () => (await poller.status()).scheduler.cycles, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    await receiver.waitForRequests(1, 20_000);

    proxy.stall();
    await expect.poll(async () => (await poller.status()).store.ok, { timeout: 30_000 }).toBe(false);
    memory.set('svc-a', 0.97);
    await expect.poll(() => received(receiver, 'svc-a - Memory Critical'), { timeout: 20_000 }).toBe(true);
    const sent = receiver.requests.length;

    proxy.resume();
    await expect.poll(async () => (await poller.status()).store.ok, { timeout: 30_000 }).toBe(true);
    // Before the fix it kept "outbox unavailable, holding 1 alert(s) in memory" until the next alert was written.
    await expect.poll(async () => (await poller.status()).notifier, { timeout: 20_000 }).toMatchObject({ ok: true, pending: 0, last_error: null });
    expect(receiver.requests).toHaveLength(sent); // no new alert was needed to clear it
  }, 120_000);

  it('fault B: an alert still held in memory when PostgreSQL answers again is written to the outbox, then delivered once, and /status clears', async () => {
    rig = await startRig(false);
    const { poller, proxy, receiver, memory, db } = rig;
    await expect.poll(async () => (await poller.status()).scheduler.cycles, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    await receiver.waitForRequests(1, 20_000);

    proxy.stall();
    await expect.poll(async () => (await poller.status()).store.ok, { timeout: 30_000 }).toBe(false);
    // Slack asks to wait, so the alert is still in memory when the database returns.
    receiver.script({ status: 429, body: 'rate_limited', headers: { 'Retry-After': '12' } });
    const before = receiver.requests.length;
    memory.set('svc-c', 0.97);
    await receiver.waitForRequests(before + 1, 20_000);
    expect(texts(receiver).at(-1)).toContain('svc-c - Memory Critical');
    expect((await poller.status()).notifier).toMatchObject({ ok: false, pending: 1 });

    proxy.resume();
    await expect.poll(async () => (await poller.status()).store.ok, { timeout: 30_000 }).toBe(true);
    // Written to the outbox once the database answers (one row: pending while Slack's wait lasts, then sent).
    const outboxRows = async () => (await db.query<{ status: string }>("SELECT status FROM alert_outbox WHERE alert_key = 'svc-c:memory'")).rows.map((r) => r.status);
    await expect.poll(async () => (await outboxRows()).length, { timeout: 20_000 }).toBe(1);
    // Then delivered once (the 429'd attempt and the delivery), marked sent, and /status clear.
    await expect.poll(() => texts(receiver).filter((t) => t.includes('svc-c - Memory Critical')).length, { timeout: 30_000 }).toBe(2);
    await expect.poll(outboxRows, { timeout: 20_000 }).toEqual(['sent']);
    await expect.poll(async () => (await poller.status()).notifier, { timeout: 20_000 }).toMatchObject({ ok: true, pending: 0, last_error: null });
  }, 150_000);
});

describe("the tester's timeline at a 30 s interval (cycle by cycle, clock stepped)", () => {
  it('fault A: frozen at 01:34:39, memory 97 % at 01:35:14: one bounded wait in the first frozen cycle, later cycles fail at once, and the Critical reaches Slack in the 01:35:39 cycle that saw it', async () => {
    const db = await createTestDatabase('chroma_hang30');
    const proxy = new PgStallProxy();
    const port = await proxy.start();
    const receiver = await new SlackReceiver().start();
    const memory = new Map<string, number>();
    const exporters = await startExporters(memory);
    const clock = new ManualClock(Date.parse('2026-11-30T01:34:09Z'));
    const config = configFrom({
      interval: '30s',
      timeout: '10s',
      resolve_after: '0s',
      database_url: db.urlVia('127.0.0.1', port),
      slack: { webhook_url: receiver.url },
      targets: SERVICES.map((service) => ({ service, url: exporters.url(service), plan: 'starter', disk: '10GiB' })),
    });
    const redactor = new Redactor();
    const logger = createLogger(redactor, clock, () => undefined);
    // Short store deadlines (connect 500 ms, statement 300 ms + 1 s) keep the test quick; the rule is the same at 5 s / 11 s.
    const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: '', bufferRows: 1_000, redactor, logger, connectTimeoutMs: 500, statementTimeoutMs: 300, clock });
    const dispatcher = new NotificationDispatcher({ outbox: store.outbox, sender: new SlackWebhookSender(receiver.url), render: (ns) => renderAlerts(ns as AlertNotification[], { title: 'ChromaDB Resource Alert' }), clock, redactor, logger });
    const monitor = new Monitor({ config, clock, store, dispatcher, metrics: new PollerMetrics(), catalog: await loadCatalog(config), redactor, logger });
    dispatcher.start();
    /** One cycle at the clock's time: the four scrapes, then the handler; resolves to how long the handler took (ms). */
    const cycle = async (): Promise<number> => {
      const results = new Map<string, DigestedScrape>();
      for (const service of SERVICES) {
        results.set(service, monitor.digest(service, await scrapeTarget({ service, url: exporters.url(service), bearerToken: null }, { timeoutMs: 10_000, bodyLimitBytes: 10 * 1024 ** 2, sampleLimit: 50_000 }, clock)));
      }
      const started = performance.now();
      await monitor.handleCycle(results, { durationMs: 50, skippedCycles: 0 });
      return performance.now() - started;
    };
    try {
      await monitor.loadState();
      await cycle(); // 01:34:09, healthy: the disk warnings
      await receiver.waitForRequests(1, 10_000);

      proxy.stall(); // 01:34:39
      clock.set(Date.parse('2026-11-30T01:34:39Z'));
      const firstFrozen = await cycle();
      expect(store.health()).toMatchObject({ ok: false });
      expect(store.health().lastError).toContain('database not answering');

      clock.set(Date.parse('2026-11-30T01:35:09Z'));
      const secondFrozen = await cycle();
      memory.set('svc-b', 0.97); // 01:35:14
      clock.set(Date.parse('2026-11-30T01:35:39Z'));
      const crossing = await cycle();
      await expect.poll(() => received(receiver, 'svc-b - Memory Critical'), { timeout: 10_000 }).toBe(true);
      // The later frozen cycles fail at once: a small fraction of the one bounded wait (ratios within this run).
      expect(secondFrozen / firstFrozen).toBeLessThan(0.25);
      expect(crossing / firstFrozen).toBeLessThan(0.25);
      // Sent from memory (the documented fallback), and its state kept in memory until the store answers.
      expect(monitor.activeAlerts()).toContainEqual({ key: 'svc-b:memory', level: 'critical' });
    } finally {
      proxy.resume();
      await dispatcher.stop({ drainMs: 500 });
      await store.close();
      await proxy.stop();
      await exporters.close();
      await receiver.stop();
      await db.drop();
    }
  }, 60_000);
});
