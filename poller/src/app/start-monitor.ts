/**
 * The one place that wires the poller together (STYLE.md point 1): store,
 * notifier, monitor, HTTP, probe, self-monitoring and the scheduler. Returns
 * a handle whose stop() drains, flushes and closes everything it opened.
 */
import { startResourceMonitoring, createPostgresProbe, type PostgresProbe, type ResourceMonitor } from '@chroma-monitor/exporter';
import { ErrorCode, MonitorError, Redactor, errorMessage, systemClock, type Clock, type MonitorConfig } from '@chroma-monitor/shared';
import type { AlertNotification } from '../alerting/index.js';
import { loadCatalog, secretsOf } from '../config/index.js';
import { createHttpApp, startHttpServer, type RunningHttpServer } from '../http/http-server.js';
import { NotificationDispatcher, SlackWebhookSender, StdoutSender, type Sender } from '../notify/index.js';
import { ScrapeScheduler, scrapeTarget, type ScrapeTargetSpec } from '../scrape/index.js';
import { renderAlerts } from '../slack/index.js';
import { LeaderLock, openStore, type Store } from '../store/index.js';
import { embeddedStoreNotice } from './embedded-store-notice.js';
import { createLogger, type Logger } from './logger.js';
import { DigestRunner } from './digest-runner.js';
import { LeadershipLoop } from './leadership-loop.js';
import { Monitor, type DigestedScrape } from './monitor.js';
import { createPageRenderer, type PageQuery } from './page-data.js';
import { PollerMetrics } from './poller-metrics.js';
import { buildStatusReport, type StatusReport } from './status-report.js';

export interface StartOptions {
  clock?: Clock;
  /** Log lines (already redacted). Default stderr. */
  writeLog?: (line: string) => void;
  /** Alerts when no webhook is configured. Default stdout. */
  writeAlert?: (text: string) => void;
  /**
   * Start even when the database is unreachable, buffering history until it
   * answers (`run --wait-for-database`). Default false: an unreachable
   * DATABASE_URL at start is a start-up error naming it.
   */
  waitForDatabase?: boolean;
}


export interface RunningMonitor {
  /** Base URL of the HTTP server. */
  url: string;
  monitor: Monitor;
  store: Store;
  status(): Promise<StatusReport>;
  stop(options?: { drainMs?: number }): Promise<void>;
}

/** Kept here too for callers that import it from the app (it lives with the other preflight checks). */
export { loadCatalog };

const PROBE_PATH = '/probe/postgres';
const SELF_HOSTS = new Set(['127.0.0.1', 'localhost']);

/** A target on this poller's own address (self-monitoring, the mounted probe): port 0 resolved, own credentials sent. */
function scrapeSpecs(config: MonitorConfig, port: number): ScrapeTargetSpec[] {
  const ownAuth = config.auth?.kind === 'bearer'
    ? `Bearer ${config.auth.token.trim()}`
    : config.auth
      ? `Basic ${Buffer.from(`${config.auth.username}:${config.auth.password}`).toString('base64')}`
      : null;
  return config.targets.map((target) => {
    const url = new URL(target.url);
    const own = SELF_HOSTS.has(url.hostname) && (url.port === String(config.listen.port) || url.port === '0');
    if (own) url.port = String(port);
    return { service: target.service, url: own ? url.toString() : target.url, bearerToken: target.bearerToken, authorization: own && !target.bearerToken ? ownAuth : null };
  });
}

export async function startMonitor(config: MonitorConfig, options: StartOptions = {}): Promise<RunningMonitor> {
  const clock = options.clock ?? systemClock;
  const redactor = new Redactor(secretsOf(config));
  const logger: Logger = createLogger(redactor, clock, options.writeLog);
  const catalog = await loadCatalog(config);
  const metrics = new PollerMetrics();

  let probe: PostgresProbe | null = null;
  if (config.probes.postgres) {
    const probeTarget = config.targets.find((t) => new URL(t.url).pathname === PROBE_PATH);
    probe = createPostgresProbe({ databaseUrl: config.probes.postgres.databaseUrl, service: probeTarget?.service ?? 'chroma-metadata', limitBytes: config.probes.postgres.limitBytes, logger });
  }

  // The port first: a port in use is reported at once, before the store (seconds, or a first-run
  // embedded store) is opened. Until the rest is wired, /healthz says 503 and /status says starting.
  let parts: { store: Store; self: ResourceMonitor; monitor: Monitor; dispatcher: NotificationDispatcher; sender: Sender } | null = null;
  let scheduler: ScrapeScheduler<ScrapeTargetSpec, DigestedScrape> | null = null;
  let leadership: LeadershipLoop | null = null;
  const startedAt = clock.now();
  /** Embedded store: always the leader (one process per data directory, store/data-dir-lock.ts). */
  const role = () => (leadership ? { role: leadership.role, since: leadership.since } : { role: parts ? ('leader' as const) : ('standby' as const), since: startedAt });
  const wired = () => {
    if (!parts) throw new MonitorError(ErrorCode.StoreUnavailable, 'chroma-monitor is starting');
    return parts;
  };
  const status = async (): Promise<StatusReport> => {
    if (!parts) {
      // Listening already, store not open yet (a first embedded store takes seconds): say so.
      return buildStatusReport({
        now: clock.now(),
        role: role(),
        services: [],
        database: null,
        store: { ok: false, kind: config.databaseUrl ? 'postgres' : 'embedded', bufferedRows: 0, droppedRows: 0, lastError: 'starting: the store is being opened' },
        notifier: { ok: true, destination: config.slack.webhookUrl ? 'slack' : 'stdout', pending: 0, lastError: null },
        scheduler: { intervalMs: config.intervalMs, cycles: 0, skippedCycles: 0, lastCycleMs: null, lastCycleLatenessP99Ms: null },
      });
    }
    const { store, dispatcher, monitor, sender } = parts;
    const storeHealth = store.health();
    const notifier = dispatcher.health();
    const stats = scheduler?.stats();
    return buildStatusReport({
      now: clock.now(),
      role: role(),
      services: monitor.serviceViews(),
      database: monitor.databaseView(),
      store: { ok: storeHealth.ok, kind: store.kind, bufferedRows: storeHealth.bufferedRows, droppedRows: storeHealth.droppedRows, lastError: storeHealth.lastError },
      notifier: { ok: notifier.ok, destination: sender.destination, pending: notifier.pending, lastError: notifier.lastError },
      scheduler: { intervalMs: config.intervalMs, cycles: stats?.cycles ?? 0, skippedCycles: stats?.skippedCycles ?? 0, lastCycleMs: stats?.lastCycleMs ?? null, lastCycleLatenessP99Ms: stats?.lastCycleLatenessP99Ms ?? null },
    });
  };
  // The store is read when a page is asked for: it is opened after the port is bound.
  const page: (query: PageQuery) => Promise<string> = createPageRenderer({ config, clock, get store() { return wired().store; }, catalog, status });

  let http: RunningHttpServer;
  try {
    http = await startHttpServer(
      createHttpApp({
        auth: config.auth,
        registries: () => (parts ? [metrics.registry, parts.self.registry] : [metrics.registry]),
        status,
        page,
        healthy: () => scheduler?.stats().running ?? false,
        probeHandler: probe ? probe.metricsHandler : null,
      }),
      config.listen.host,
      config.listen.port,
    );
  } catch (error) {
    await probe?.close();
    throw new MonitorError(ErrorCode.ConfigInvalid, `cannot listen on ${config.listen.host}:${config.listen.port}: ${errorMessage(error)}`, { cause: error });
  }

  let store: Store;
  try {
    const notice = await embeddedStoreNotice(config);
    if (notice) logger.info(notice);
    store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, bufferRows: config.bufferRows, redactor, logger, requireReachable: !options.waitForDatabase, clock });
  } catch (error) {
    await Promise.all([http.close(), probe?.close()]);
    throw error;
  }
  const self = startResourceMonitoring('chroma-monitor', { diskPaths: [config.databaseUrl ? process.cwd() : config.dataDir] });

  const sender: Sender = config.slack.webhookUrl ? new SlackWebhookSender(config.slack.webhookUrl) : new StdoutSender(options.writeAlert);
  const dispatcher = new NotificationDispatcher({
    outbox: store.outbox,
    sender,
    render: (ns) => renderAlerts(ns as AlertNotification[], { title: config.slack.title }),
    clock,
    redactor,
    logger,
    onSent: (count, reason) => metrics.recordNotificationsSent(count, reason),
    onFailed: (code) => metrics.recordNotificationFailed(code),
  });
  const monitor = new Monitor({ config, clock, store, dispatcher, metrics, catalog, redactor, logger });
  const digestConfig = config.digest;
  const digest = digestConfig ? new DigestRunner({ config: { ...config, digest: digestConfig }, clock, store, dispatcher, catalog, logger }) : null;
  if (config.databaseUrl) {
    // Several instances may share this database (a deploy overlaps old and new): only the holder
    // of the advisory lock evaluates, stores and delivers. The first attempt runs now, so the
    // start-up line below already knows the role.
    monitor.setRole('standby');
    metrics.recordRole('standby');
    leadership = new LeadershipLoop({
      lock: new LeaderLock({ databaseUrl: config.databaseUrl, connectTimeoutMs: 5_000, statementTimeoutMs: 10_000, redactor }),
      clock,
      intervalMs: config.intervalMs,
      logger,
      onChange: async (change) => {
        monitor.setRole(change.to);
        metrics.recordRole(change.to);
        if (change.to === 'leader') dispatcher.start();
        else await dispatcher.stop();
      },
    });
    await leadership.start();
  } else {
    await monitor.loadState();
    metrics.recordRole('leader');
  }
  parts = { store, self, monitor, dispatcher, sender };
  const port = Number(new URL(http.url).port);

  scheduler = new ScrapeScheduler<ScrapeTargetSpec, DigestedScrape>({
    targets: scrapeSpecs(config, port),
    intervalMs: config.intervalMs,
    timeoutMs: config.timeoutMs,
    concurrency: config.concurrency,
    clock,
    runTarget: async (target, signal) =>
      monitor.digest(target.service, await scrapeTarget(target, { timeoutMs: config.timeoutMs, bodyLimitBytes: config.bodyLimitBytes, sampleLimit: config.sampleLimit, signal, requireOwnSeries: true }, clock)),
    onCycleComplete: async (results, cycle) => {
      await monitor.handleCycle(results, { durationMs: cycle.durationMs, skippedCycles: scheduler!.stats().skippedCycles });
      // After the cycle's store work and not waited for: a database that hangs delays the digest,
      // never the next scrape.
      if (monitor.role === 'leader' && digest) void monitor.queueStoreWork(() => digest.tick());
    },
    onLoopError: (message) => logger.warn(message),
  });
  if (!leadership) dispatcher.start(); // with a leader lock, becoming leader starts it
  scheduler.start();
  logger.info(`chroma-monitor listening on ${http.url} (store: ${store.kind}, role: ${monitor.role}, alerts: ${sender.destination}, ${config.targets.length} targets every ${config.intervalMs / 1000}s)`);

  let stopping: Promise<void> | null = null;
  return {
    url: http.url,
    monitor,
    store,
    status,
    stop: (stopOptions = {}) => {
      stopping ??= (async () => {
        const drainMs = stopOptions.drainMs ?? 10_000;
        await scheduler!.stop({ drainMs });
        await monitor.flushState();
        await store.history.flush();
        if (monitor.role === 'leader') await dispatcher.deliverDue();
        await dispatcher.stop({ drainMs });
        // Released only after the state and the outbox are saved: the next leader reloads them.
        await leadership?.stop();
        await http.close();
        await probe?.close();
        await self.stopMonitoring();
        await store.close();
        logger.info('chroma-monitor stopped');
      })();
      return stopping;
    },
  };
}
