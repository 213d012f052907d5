/**
 * The cycle handler: scrape results in, then derive → store and evaluate →
 * hand notifications to the dispatcher (STYLE.md point 1). It keeps the
 * per-target runtime and alert states; the scheduler, the store, the
 * notifier and HTTP are given to it.
 */
import { boundMessage, errorMessage, escapeControl, type Clock, type Level, type MonitorConfig, type Redactor, type TargetConfig } from '@chroma-monitor/shared';
import { evaluateService, reviveAlertState, type AlertNotification, type AlertState } from '../alerting/index.js';
import { deriveScrape, type DerivedScrape } from '../derive/index.js';
import type { NotificationDispatcher } from '../notify/index.js';
import type { PlanCatalog, Point } from '../recommend/index.js';
import type { ScrapeResult } from '../scrape/index.js';
import type { DatabaseSample, ServiceSample, Store } from '../store/index.js';
import type { Logger } from './logger.js';
import type { PollerMetrics } from './poller-metrics.js';
import type { DatabaseView, ServiceView } from './status-report.js';
import { newTargetRuntime, withFailure, withSuccess, type TargetRuntime } from './target-runtime.js';

export interface MonitorDeps {
  config: MonitorConfig;
  clock: Clock;
  store: Store;
  dispatcher: Pick<NotificationDispatcher, 'enqueue' | 'health'>;
  metrics: PollerMetrics;
  catalog: PlanCatalog;
  redactor: Redactor;
  logger: Logger;
}

/**
 * A scrape reduced to what the cycle needs, right after it finished: the
 * samples (hundreds of objects per target) become garbage at once instead of
 * living until the whole cycle ends.
 */
export type DigestedScrape =
  | { ok: true; derived: DerivedScrape; samples: number; durationMs: number; scrapedAt: number }
  | { ok: false; error: { code: string; message: string }; durationMs: number; scrapedAt: number };

/** History read for forecasts: the last three days, at most once per service per this period. */
const FORECAST_WINDOW_MS = 3 * 86_400_000;
const HISTORY_CACHE_MS = 5 * 60_000;
const PRUNE_EVERY_MS = 3_600_000;
/** Forecast history is read only when a value is this close to its warning threshold. */
const NEAR_WARNING = 0.9;

export class Monitor {
  readonly #deps: MonitorDeps;
  readonly #runtimes = new Map<string, TargetRuntime>();
  readonly #alertStates = new Map<string, AlertState>();
  readonly #dirty = new Set<string>();
  readonly #historyCache = new Map<string, { at: number; freeGb: Point[]; databaseSize: Point[] }>();
  #lastPruneAt = 0;

  constructor(deps: MonitorDeps) {
    this.#deps = deps;
    for (const target of deps.config.targets) this.#runtimes.set(target.service, newTargetRuntime(target.service));
  }

  /** Restores alert state persisted by a previous run (cooldowns survive restarts). */
  async loadState(): Promise<void> {
    try {
      const now = this.#deps.clock.now();
      for (const stored of await this.#deps.store.alertStates.loadAll()) this.#alertStates.set(stored.key, reviveAlertState(stored.state, now));
    } catch (error) {
      this.#deps.logger.warn(`could not load alert state (starting fresh; it is saved again once the store answers): ${errorMessage(error)}`);
    }
  }

  /** Derives one scrape as soon as it finished (CPU rate against this target's previous reading). */
  digest(service: string, result: ScrapeResult): DigestedScrape {
    if (!result.ok) return result;
    const runtime = this.#runtimes.get(service) ?? newTargetRuntime(service);
    const derived = deriveScrape(result.samples, service, result.scrapedAt, runtime.cpuReading);
    this.#runtimes.set(service, { ...runtime, cpuReading: derived.cpuReading });
    return { ok: true, derived, samples: result.samples.length, durationMs: result.durationMs, scrapedAt: result.scrapedAt };
  }

  /** Handles one finished cycle. Never throws. */
  async handleCycle(results: ReadonlyMap<string, DigestedScrape>, cycle: { durationMs: number; skippedCycles: number }): Promise<void> {
    const { config, store, metrics } = this.#deps;
    const now = this.#deps.clock.now();
    const samples: ServiceSample[] = [];
    const databaseSamples: DatabaseSample[] = [];
    const outgoing: AlertNotification[] = [];

    for (const target of config.targets) {
      const result = results.get(target.service);
      if (!result) continue;
      const { sample, databaseSample, notifications } = await this.#handleTarget(target, result, now);
      if (sample) samples.push(sample);
      if (databaseSample) databaseSamples.push(databaseSample);
      outgoing.push(...notifications);
    }

    store.history.append(samples, databaseSamples);
    // Enqueue before saving state: a crash in between re-sends an alert rather than losing it.
    if (outgoing.length > 0) {
      await this.#deps.dispatcher.enqueue(outgoing.map((n) => ({ alertKey: n.alertKey, level: n.level, createdAt: n.at, notification: n })));
    }
    await this.#saveStates(now);
    await store.history.flush();
    await this.#pruneIfDue(now);
    const health = store.health();
    metrics.recordTotals({ rowsWritten: health.writtenRows, rowsBuffered: health.bufferedRows, rowsDropped: health.droppedRows, cycleDurationMs: cycle.durationMs, cyclesSkipped: cycle.skippedCycles, notificationsPending: this.#deps.dispatcher.health().pending });
  }

  async #handleTarget(target: TargetConfig, result: DigestedScrape, now: number) {
    const { metrics, config } = this.#deps;
    const previous = this.#runtimes.get(target.service) ?? newTargetRuntime(target.service);
    let runtime: TargetRuntime;
    if (result.ok) {
      runtime = withSuccess(previous, result.scrapedAt, result.derived);
      metrics.recordScrape(target.service, { ok: true, durationMs: result.durationMs, samples: result.samples });
    } else {
      // Redacted, then one line and bounded: this is what /status, the page, Slack and the log show.
      runtime = withFailure(previous, result.scrapedAt, { code: result.error.code, message: boundMessage(escapeControl(this.#deps.redactor.redact(result.error.message))) });
      metrics.recordScrape(target.service, { ok: false, durationMs: result.durationMs, samples: 0, code: result.error.code });
    }

    const history = await this.#forecastHistory(target, runtime, now);
    const evaluation = evaluateService(
      { service: target.service, now, up: runtime.up, error: runtime.lastError, values: runtime.values, database: result.ok ? runtime.database : null },
      this.#alertStates,
      {
        thresholds: config.thresholds,
        cooldowns: config.cooldowns,
        catalog: this.#deps.catalog,
        plan: target.plan,
        diskBytes: target.diskBytes,
        probe: runtime.database ? { limitBytes: runtime.database.limitBytes ?? config.probes.postgres?.limitBytes ?? 1024 ** 3, expires: config.probes.postgres?.expires ?? null } : null,
        freeGbHistory: history.freeGb,
        databaseSizeHistory: history.databaseSize,
      },
    );
    for (const [key, state] of evaluation.states) {
      if (this.#alertStates.get(key) !== state) this.#dirty.add(key);
      this.#alertStates.set(key, state);
    }
    runtime = { ...runtime, levels: evaluation.levels, recommendations: evaluation.recommendations, databaseRecommendations: evaluation.databaseRecommendations };
    this.#runtimes.set(target.service, runtime);
    metrics.recordLevels(target.service, evaluation.levels);

    const v = runtime.values;
    const hasValues = v.memoryPercent !== null || v.cpuPercent !== null || v.diskUsagePercent !== null || v.diskFreeGb !== null;
    // Nothing is stored from a failed scrape; a scrape without resource series (a probe) adds no empty row.
    const sample: ServiceSample | null = result.ok && hasValues
      ? { service: target.service, recordedAt: result.scrapedAt, memoryPercent: v.memoryPercent, cpuPercent: v.cpuPercent, diskUsagePercent: v.diskUsagePercent, diskFreeGb: v.diskFreeGb }
      : null;
    const db = result.ok ? runtime.database : null;
    const databaseSample: DatabaseSample | null = db
      ? { service: target.service, datname: db.datname, recordedAt: result.scrapedAt, sizeBytes: db.sizeBytes, limitBytes: db.limitBytes, connections: db.connections }
      : null;
    return { sample, databaseSample, notifications: evaluation.notifications };
  }

  /** Recent history for forecasts, read only near a threshold and cached a few minutes. */
  async #forecastHistory(target: TargetConfig, runtime: TargetRuntime, now: number): Promise<{ freeGb: Point[]; databaseSize: Point[] }> {
    const { thresholds } = this.#deps.config;
    const nearDisk = (runtime.values.diskUsagePercent ?? 0) >= thresholds.disk.warning * NEAR_WARNING;
    const nearDatabase = (runtime.database?.sizeBytes ?? 0) >= thresholds.databaseSize.warning * NEAR_WARNING;
    if (!nearDisk && !nearDatabase) return { freeGb: [], databaseSize: [] };
    const cached = this.#historyCache.get(target.service);
    if (cached && now - cached.at < HISTORY_CACHE_MS) return cached;
    try {
      const since = now - FORECAST_WINDOW_MS;
      const freeGb = nearDisk
        ? (await this.#deps.store.serviceHistory(target.service, since)).flatMap((s) => (s.diskFreeGb === null ? [] : [{ at: s.recordedAt, value: s.diskFreeGb }]))
        : [];
      const databaseSize = nearDatabase ? (await this.#deps.store.databaseHistory(target.service, since)).map((s) => ({ at: s.recordedAt, value: s.sizeBytes })) : [];
      const entry = { at: now, freeGb, databaseSize };
      this.#historyCache.set(target.service, entry);
      return entry;
    } catch {
      return { freeGb: [], databaseSize: [] }; // no history, no forecast: the alert still goes out
    }
  }

  async #saveStates(now: number): Promise<void> {
    if (this.#dirty.size === 0) return;
    const keys = [...this.#dirty];
    try {
      await this.#deps.store.alertStates.saveAll(keys.map((key) => ({ key, state: this.#alertStates.get(key), updatedAt: now })));
      for (const key of keys) this.#dirty.delete(key);
    } catch (error) {
      this.#deps.logger.warn(`could not save alert state (kept in memory, retried next cycle): ${errorMessage(error)}`);
    }
  }

  async #pruneIfDue(now: number): Promise<void> {
    if (now - this.#lastPruneAt < PRUNE_EVERY_MS) return;
    this.#lastPruneAt = now;
    try {
      const deleted = await this.#deps.store.prune(now, this.#deps.config.retentionMs);
      await this.#deps.store.outbox.prune(now, this.#deps.config.retentionMs);
      if (deleted > 0) this.#deps.logger.info(`pruned ${deleted} history rows older than the retention`);
    } catch (error) {
      this.#deps.logger.warn(`pruning failed (retried in an hour): ${errorMessage(error)}`);
    }
  }

  /** Saves any unsaved alert state (shutdown). */
  async flushState(): Promise<void> {
    await this.#saveStates(this.#deps.clock.now());
  }

  serviceViews(): ServiceView[] {
    return this.#deps.config.targets
      .map((target) => this.#runtimes.get(target.service)!)
      .filter((runtime) => runtime.database === null || runtime.values.memoryPercent !== null)
      .map((r) => ({
        service: r.service,
        up: r.up,
        lastScrapeAt: r.lastScrapeAt,
        lastError: r.lastError,
        lastErrorCode: r.lastErrorCode,
        consecutiveFailures: r.consecutiveFailures,
        memoryPercent: r.values.memoryPercent,
        cpuPercent: r.values.cpuPercent,
        diskUsagePercent: r.values.diskUsagePercent,
        diskFreeGb: r.values.diskFreeGb,
        levels: { memory: r.levels.memory, cpu: r.levels.cpu, disk: r.levels.disk },
        recommendations: r.recommendations,
      }));
  }

  databaseView(): DatabaseView | null {
    for (const target of this.#deps.config.targets) {
      const runtime = this.#runtimes.get(target.service);
      if (runtime?.database) {
        const level: Level = runtime.levels.database;
        return { service: runtime.service, sizeBytes: runtime.database.sizeBytes, limitBytes: runtime.database.limitBytes, connections: runtime.database.connections, level, recommendations: runtime.databaseRecommendations };
      }
    }
    return null;
  }

  /** Alert state keys currently not ok, for the page and tests. */
  activeAlerts(): Array<{ key: string; level: Level }> {
    return [...this.#alertStates].filter(([, s]) => s.level !== 'ok').map(([key, s]) => ({ key, level: s.level }));
  }
}
