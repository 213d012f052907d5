/**
 * The cycle handler: scrape results in, then derive → store and evaluate →
 * hand notifications to the dispatcher (STYLE.md point 1). It keeps the
 * per-target runtime and alert states; the scheduler, the store, the
 * notifier and HTTP are given to it.
 */
import { boundMessage, errorMessage, escapeControl, type AlertLevel, type Clock, type MonitorConfig, type Redactor, type TargetConfig } from '@chroma-monitor/shared';
import { alertPolicy, evaluateService, removedTargetNotifications, reviveAlertState, type AlertNotification, type AlertState, type Evaluation } from '../alerting/index.js';
import { deriveScrape, type DerivedScrape } from '../derive/index.js';
import type { NotificationDispatcher } from '../notify/index.js';
import type { PlanCatalog, Point } from '../recommend/index.js';
import type { ScrapeResult, TimerPort } from '../scrape/index.js';
import type { DatabaseSample, ServiceSample, Store } from '../store/index.js';
import type { Role } from '../leader/decide-role.js';
import type { Logger } from './logger.js';
import type { PollerMetrics } from './poller-metrics.js';
import type { DatabaseView, ServiceView } from './status-report.js';
import { StoreWaitDeadline, storeWaitBudgetMs } from './store-wait.js';
import { newTargetRuntime, withFailure, withSuccess, type TargetRuntime } from './target-runtime.js';

export interface MonitorDeps {
  config: MonitorConfig;
  clock: Clock;
  store: Store;
  dispatcher: Pick<NotificationDispatcher, 'enqueue' | 'wake' | 'health'>;
  metrics: PollerMetrics;
  catalog: PlanCatalog;
  redactor: Redactor;
  logger: Logger;
  /** Timers for the cycle's store-wait deadline (app/store-wait.ts). Default Node's. */
  timers?: TimerPort;
}

const systemTimers: TimerPort = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * A scrape reduced to what the cycle needs, right after it finished: the
 * samples (hundreds of objects per target) become garbage at once instead of
 * living until the whole cycle ends.
 */
export type DigestedScrape =
  | { ok: true; derived: DerivedScrape; samples: number; durationMs: number; scrapedAt: number }
  | { ok: false; error: { code: string; message: string }; durationMs: number; scrapedAt: number };

/** The history a forecast reads: free disk GB, ChromaDB records and database size, oldest first. */
interface ForecastHistory {
  freeGb: Point[];
  records: Point[];
  databaseSize: Point[];
}
const NO_HISTORY: ForecastHistory = { freeGb: [], records: [], databaseSize: [] };

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
  readonly #historyCache = new Map<string, ForecastHistory & { at: number }>();
  #lastPruneAt = 0;
  /**
   * Only the leader evaluates, stores history and enqueues; a standby scrapes for /status,
   * /metrics and the page, and shows the levels the leader saved (README "Two instances").
   */
  #role: Role = 'leader';
  /** Set on becoming leader: the next cycle reloads alert state from the store first. */
  #reloadPending = false;
  /**
   * The store work of the cycles (save, flush, prune, the digest), one after another in cycle
   * order: a cycle that stopped waiting for its work (app/store-wait.ts) leaves it here, and the
   * next cycle's work runs after it, so states and outbox rows are written in the order decided.
   */
  #storeWork: Promise<void> = Promise.resolve();

  constructor(deps: MonitorDeps) {
    this.#deps = deps;
    for (const target of deps.config.targets) this.#runtimes.set(target.service, newTargetRuntime(target.service));
  }

  /**
   * Restores alert state persisted by a previous run (cooldowns survive
   * restarts). Services no longer in the config get one "no longer
   * monitored" message and their state is deleted (SPEC §8 "No data").
   */
  async loadState(): Promise<void> {
    const now = this.#deps.clock.now();
    try {
      const storedStates = await this.#deps.store.alertStates.loadAll();
      // What another leader saved replaces what this instance knew (a takeover).
      this.#alertStates.clear();
      this.#dirty.clear();
      for (const stored of storedStates) this.#alertStates.set(stored.key, reviveAlertState(stored.state, now));
    } catch (error) {
      this.#deps.logger.warn(`could not load alert state (starting fresh; it is saved again once the store answers): ${errorMessage(error)}`);
      return;
    }
    const configured = new Set(this.#deps.config.targets.map((t) => t.service));
    const removed = removedTargetNotifications(this.#alertStates, configured, now);
    if (removed.deleteKeys.length === 0) return;
    // Queued before the state is deleted (a crash in between repeats the notice rather than losing
    // it) and sent after, as in handleCycle: a notice that reached Slack is never decided again.
    await this.#deps.dispatcher.enqueue(removed.notifications.map((n) => ({ alertKey: n.alertKey, level: n.level, createdAt: n.at, notification: n })), { wake: false });
    for (const key of removed.deleteKeys) {
      this.#alertStates.delete(key);
      this.#dirty.delete(key);
    }
    try {
      await this.#deps.store.alertStates.deleteAll(removed.deleteKeys);
    } catch (error) {
      this.#deps.logger.warn(`could not delete the alert state of removed services: ${errorMessage(error)}`);
    }
    this.#deps.dispatcher.wake();
  }

  /** Derives one scrape as soon as it finished (CPU over the window of this target's readings). */
  digest(service: string, result: ScrapeResult): DigestedScrape {
    if (!result.ok) return result;
    const runtime = this.#runtimes.get(service) ?? newTargetRuntime(service);
    const derived = deriveScrape(result.body, service, result.scrapedAt, runtime.cpuReadings, this.#deps.config.alerting.cpuWindowMs);
    this.#runtimes.set(service, { ...runtime, cpuReadings: derived.cpuReadings });
    if (derived.ignored.length > 0) this.#deps.metrics.recordIgnoredValues(service, derived.ignored);
    return { ok: true, derived, samples: result.body.size, durationMs: result.durationMs, scrapedAt: result.scrapedAt };
  }

  /**
   * Sets this instance's role (the leadership loop decides it). Becoming leader reloads the
   * alert state at the start of the next cycle, never in the middle of one.
   */
  setRole(role: Role): void {
    if (role === 'leader' && this.#role !== 'leader') this.#reloadPending = true;
    this.#role = role;
  }

  get role(): Role {
    return this.#role;
  }

  /**
   * Handles one finished cycle. Never throws. Waits for the store at most the cycle's budget
   * (store-wait.ts: half of what the interval leaves after the scrapes), so a database that
   * hangs never makes the scheduler skip a tick; work still running then finishes in the
   * background, before the next cycle's.
   */
  async handleCycle(results: ReadonlyMap<string, DigestedScrape>, cycle: { durationMs: number; skippedCycles: number }): Promise<void> {
    const deadline = new StoreWaitDeadline(storeWaitBudgetMs(this.#deps.config.intervalMs, cycle.durationMs), this.#deps.timers ?? systemTimers);
    try {
      await this.#handleCycle(results, cycle, deadline);
    } finally {
      deadline.dispose();
    }
  }

  /**
   * Queues store work after every cycle's store work so far (the digest uses it too) and resolves
   * when it is done. Never rejects: a failure is logged.
   */
  queueStoreWork(work: () => Promise<unknown>): Promise<void> {
    this.#storeWork = this.#storeWork.then(work).then(
      () => undefined,
      (error: unknown) => this.#deps.logger.warn(`store work failed (retried next cycle): ${errorMessage(error)}`),
    );
    return this.#storeWork;
  }

  async #handleCycle(results: ReadonlyMap<string, DigestedScrape>, cycle: { durationMs: number; skippedCycles: number }, deadline: StoreWaitDeadline): Promise<void> {
    const { config, store, metrics } = this.#deps;
    // The next-cycle check: while the database does not answer, every store call fails at once;
    // this asks it again in the background so the store is used again as soon as it answers.
    if (!store.reachability().reachable) void store.checkReachable();
    if (this.#role === 'standby') return this.#handleStandbyCycle(results, deadline);
    if (this.#reloadPending) {
      this.#reloadPending = false;
      // Awaited whole: deciding on the state another leader saved is the point of a takeover. One
      // bounded wait at most (a store that does not answer fails at once after it).
      await this.loadState();
    }
    const now = this.#deps.clock.now();
    const samples: ServiceSample[] = [];
    const databaseSamples: DatabaseSample[] = [];
    const outgoing: AlertNotification[] = [];

    for (const target of config.targets) {
      const result = results.get(target.service);
      if (!result) continue;
      const { sample, databaseSample, notifications } = await this.#handleTarget(target, result, now, deadline);
      if (sample) samples.push(sample);
      if (databaseSample) databaseSamples.push(databaseSample);
      outgoing.push(...notifications);
    }

    store.history.append(samples, databaseSamples);
    await deadline.race(this.queueStoreWork(() => this.#persist(outgoing, now)));
    const health = store.health();
    metrics.recordTotals({ rowsWritten: health.writtenRows, rowsBuffered: health.bufferedRows, rowsDropped: health.droppedRows, cycleDurationMs: cycle.durationMs, cyclesSkipped: cycle.skippedCycles, notificationsPending: this.#deps.dispatcher.health().pending });
  }

  /**
   * Queued before the state is saved (a crash in between decides the alert again rather than
   * losing it: the newer copy replaces the unsent one), sent only after: a message that reached
   * Slack always has its decision saved, so a crash mid-send re-sends that one message, never a
   * second decision of it. When the store does not answer, the enqueue holds the alerts in the
   * dispatcher's memory and the save keeps the states dirty (both fail at once after the first
   * wait), and the wake sends them from memory: the documented fallback.
   */
  async #persist(outgoing: readonly AlertNotification[], now: number): Promise<void> {
    const { store, dispatcher } = this.#deps;
    if (outgoing.length > 0) {
      await dispatcher.enqueue(outgoing.map((n) => ({ alertKey: n.alertKey, level: n.level, createdAt: n.at, notification: n })), { wake: false });
    }
    await this.#saveStates(now);
    if (outgoing.length > 0) dispatcher.wake();
    await store.history.flush();
    await this.#pruneIfDue(now);
  }

  /** The target's runtime advanced by one scrape, and the scrape counted (leader and standby alike). */
  #recordScrape(service: string, result: DigestedScrape): TargetRuntime {
    const previous = this.#runtimes.get(service) ?? newTargetRuntime(service);
    if (result.ok) {
      this.#deps.metrics.recordScrape(service, { ok: true, durationMs: result.durationMs, samples: result.samples });
      return withSuccess(previous, result.scrapedAt, result.derived);
    }
    this.#deps.metrics.recordScrape(service, { ok: false, durationMs: result.durationMs, samples: 0, code: result.error.code });
    // Redacted, then one line and bounded: this is what /status, the page, Slack and the log show.
    return withFailure(previous, result.scrapedAt, { code: result.error.code, message: boundMessage(escapeControl(this.#deps.redactor.redact(result.error.message))) });
  }

  /**
   * A standby's cycle: the scrape updates what /status and /metrics show; levels are the ones
   * the leader saved. Nothing is evaluated, stored or sent (two scrapers, one history).
   */
  async #handleStandbyCycle(results: ReadonlyMap<string, DigestedScrape>, deadline: StoreWaitDeadline): Promise<void> {
    const { config, metrics } = this.#deps;
    const now = this.#deps.clock.now();
    let saved: Map<string, AlertState> | null = null;
    try {
      const read = await deadline.race(this.#deps.store.alertStates.loadAll());
      // Past the deadline the read goes on unheard: this cycle shows the levels last read.
      if (read.done) saved = new Map(read.value.map((s) => [s.key, reviveAlertState(s.state, now)]));
    } catch {
      saved = null; // the leader's levels are unknown: keep showing the last ones read
    }
    for (const target of config.targets) {
      const result = results.get(target.service);
      if (!result) continue;
      let runtime = this.#recordScrape(target.service, result);
      if (saved) {
        const level = (resource: string): AlertLevel => saved.get(`${target.service}:${resource}`)?.level ?? 'ok';
        runtime = { ...runtime, levels: { memory: level('memory'), cpu: level('cpu'), disk: level('disk'), database: level('database') } };
      }
      this.#runtimes.set(target.service, runtime);
      metrics.recordLevels(target.service, runtime.levels);
    }
    if (saved) {
      this.#alertStates.clear();
      for (const [key, state] of saved) this.#alertStates.set(key, state);
    }
  }

  async #handleTarget(target: TargetConfig, result: DigestedScrape, now: number, deadline: StoreWaitDeadline) {
    const { metrics, config } = this.#deps;
    let runtime = this.#recordScrape(target.service, result);

    const evaluate = (history: ForecastHistory): Evaluation => evaluateService(
      { service: target.service, now, up: runtime.up, error: runtime.lastError, errorCode: runtime.lastErrorCode, values: runtime.values, valuesAt: runtime.valuesAt, cpu: result.ok ? runtime.cpu : null, chroma: result.ok ? runtime.chroma : null, postgresUp: result.ok ? runtime.postgresUp : null, database: result.ok ? runtime.database : null },
      this.#alertStates,
      {
        thresholds: config.thresholds,
        policy: alertPolicy(config),
        noDataAfterScrapes: config.alerting.noDataAfterScrapes,
        catalog: this.#deps.catalog,
        plan: target.plan,
        diskBytes: target.diskBytes,
        // A probe is a target that serves pg_up, also while it says 0 (the database is down): deciding
        // by "has database values" made a database outage read as a healthy non-probe target.
        probe: runtime.postgresUp !== null || runtime.database ? { limitBytes: runtime.database?.limitBytes ?? config.probes.postgres?.limitBytes ?? 1024 ** 3, expires: config.probes.postgres?.expires ?? null } : null,
        freeGbHistory: history.freeGb,
        recordsHistory: history.records,
        databaseSizeHistory: history.databaseSize,
      },
    );
    let evaluation = evaluate(await this.#forecastHistory(target, runtime, now, false, deadline));
    // A disk or database alert about to go out gets its forecast from fresh history, never from the
    // cache (SPEC §8 "Forecasts"). evaluateService is pure: the second run decides exactly the same.
    if (evaluation.notifications.some((n) => (n.resource === 'disk' || n.resource === 'database') && n.level !== 'ok')) {
      evaluation = evaluate(await this.#forecastHistory(target, runtime, now, true, deadline));
    }
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
      ? { service: target.service, recordedAt: result.scrapedAt, memoryPercent: v.memoryPercent, cpuPercent: v.cpuPercent, diskUsagePercent: v.diskUsagePercent, diskFreeGb: v.diskFreeGb, chromaRecords: runtime.chroma?.records ?? null }
      : null;
    const db = result.ok ? runtime.database : null;
    const databaseSample: DatabaseSample | null = db
      ? { service: target.service, datname: db.datname, recordedAt: result.scrapedAt, sizeBytes: db.sizeBytes, limitBytes: db.limitBytes, connections: db.connections }
      : null;
    return { sample, databaseSample, notifications: evaluation.notifications };
  }

  /**
   * Recent history for forecasts, read only near a threshold and cached a
   * few minutes for the page; `fresh` bypasses the cache (an alert is being sent). A read the
   * cycle's deadline cuts short gives no forecast (the cached one when there is one): the alert
   * goes out without it rather than late.
   */
  async #forecastHistory(target: TargetConfig, runtime: TargetRuntime, now: number, fresh: boolean, deadline: StoreWaitDeadline): Promise<ForecastHistory> {
    const { thresholds } = this.#deps.config;
    const nearDisk = (runtime.values.diskUsagePercent ?? 0) >= thresholds.disk.warning * NEAR_WARNING;
    const nearDatabase = (runtime.database?.sizeBytes ?? 0) >= thresholds.databaseSize.warning * NEAR_WARNING;
    if (!nearDisk && !nearDatabase) return NO_HISTORY;
    const cached = this.#historyCache.get(target.service);
    if (!fresh && cached && now - cached.at >= 0 && now - cached.at < HISTORY_CACHE_MS) return cached;
    const since = now - FORECAST_WINDOW_MS;
    const { store } = this.#deps;
    try {
      const read = await deadline.race(Promise.all([
        nearDisk ? store.serviceHistory(target.service, since) : Promise.resolve([]),
        nearDatabase ? store.databaseHistory(target.service, since) : Promise.resolve([]),
      ]));
      if (!read.done) return cached ?? NO_HISTORY;
      const [rows, databaseRows] = read.value;
      const freeGb = rows.flatMap((s) => (s.diskFreeGb === null ? [] : [{ at: s.recordedAt, value: s.diskFreeGb }]));
      const records = rows.flatMap((s) => (s.chromaRecords === null || s.chromaRecords === undefined ? [] : [{ at: s.recordedAt, value: s.chromaRecords }]));
      const databaseSize = databaseRows.map((s) => ({ at: s.recordedAt, value: s.sizeBytes }));
      const entry = { at: now, freeGb, records, databaseSize };
      this.#historyCache.set(target.service, entry);
      return entry;
    } catch {
      return NO_HISTORY; // no history, no forecast: the alert still goes out
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

  /** Waits for the cycles' store work, then saves any unsaved alert state (shutdown). */
  async flushState(): Promise<void> {
    await this.#storeWork;
    if (this.#role === 'standby') return; // a standby's states are the leader's, read-only here
    await this.#saveStates(this.#deps.clock.now());
  }

  serviceViews(): ServiceView[] {
    return this.#deps.config.targets
      .map((target) => this.#runtimes.get(target.service)!)
      .filter((runtime) => (runtime.database === null && runtime.postgresUp === null) || runtime.values.memoryPercent !== null)
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
        valuesAt: r.valuesAt,
        cpuThrottledRatio: r.cpu?.throttledRatio ?? null,
        chroma: r.chroma,
        levels: { memory: r.levels.memory, cpu: r.levels.cpu, disk: r.levels.disk },
        recommendations: r.recommendations,
      }));
  }

  databaseView(): DatabaseView | null {
    for (const target of this.#deps.config.targets) {
      const runtime = this.#runtimes.get(target.service);
      // A probe saying pg_up 0 is shown too: a database that cannot be reached is the worst state, not an absent one.
      if (runtime?.database || runtime?.postgresUp === false) {
        const level: AlertLevel = runtime.levels.database;
        const db = runtime.database;
        return { service: runtime.service, up: runtime.up && runtime.postgresUp !== false, sizeBytes: db?.sizeBytes ?? null, limitBytes: db?.limitBytes ?? null, connections: db?.connections ?? null, level, recommendations: runtime.databaseRecommendations };
      }
    }
    return null;
  }

  /** Alert state keys currently not ok, for the page and tests. */
  activeAlerts(): Array<{ key: string; level: AlertLevel }> {
    return [...this.#alertStates].filter(([, s]) => s.level !== 'ok').map(([key, s]) => ({ key, level: s.level }));
  }
}
