/**
 * The poller's own metrics (SPEC §5 HTTP): what it scraped, what it decided,
 * what it stored and what it delivered. One registry per poller instance,
 * never prom-client's global one, so tests and embedders can run several.
 */
// From the exporter's prom-client-core: prom-client's index would load node:https through its Pushgateway.
import { Counter, Gauge, Registry } from '@chroma-monitor/exporter';
import { PollerMetric, RESOURCES, SERVICE_LABEL, levelSeverity, type AlertLevel, type Resource } from '@chroma-monitor/shared';

export class PollerMetrics {
  readonly registry = new Registry();
  readonly #up: Gauge<'service'>;
  readonly #scrapeDuration: Gauge<'service'>;
  readonly #scrapeSamples: Gauge<'service'>;
  readonly #scrapeFailures: Counter<'service' | 'code'>;
  readonly #alertLevel: Gauge<'service' | 'resource'>;
  readonly #notificationsSent: Counter<'reason'>;
  readonly #notificationsFailed: Counter<'code'>;
  readonly #notificationsPending: Gauge;
  readonly #rowsWritten: Counter;
  readonly #rowsBuffered: Gauge;
  readonly #rowsDropped: Counter;
  readonly #cycleDuration: Gauge;
  readonly #cyclesSkipped: Counter;
  readonly #valuesIgnored: Counter<'service' | 'reason'>;
  readonly #leader: Gauge;
  /** Last mirrored totals, so counters advance by the difference. */
  readonly #mirrored = { rowsWritten: 0, rowsDropped: 0, cyclesSkipped: 0 };

  constructor() {
    const registers = [this.registry];
    const gauge = <L extends string>(m: { name: string; help: string }, labelNames: L[] = []) =>
      new Gauge<L>({ name: m.name, help: m.help, labelNames, registers });
    const counter = <L extends string>(m: { name: string; help: string }, labelNames: L[] = []) =>
      new Counter<L>({ name: m.name, help: m.help, labelNames, registers });

    this.#up = gauge(PollerMetric.up, [SERVICE_LABEL]);
    this.#scrapeDuration = gauge(PollerMetric.scrapeDurationSeconds, [SERVICE_LABEL]);
    this.#scrapeSamples = gauge(PollerMetric.scrapeSamples, [SERVICE_LABEL]);
    this.#scrapeFailures = counter(PollerMetric.scrapeFailuresTotal, [SERVICE_LABEL, 'code']);
    this.#alertLevel = gauge(PollerMetric.alertLevel, [SERVICE_LABEL, 'resource']);
    this.#notificationsSent = counter(PollerMetric.notificationsSentTotal, ['reason']);
    this.#notificationsFailed = counter(PollerMetric.notificationsFailedTotal, ['code']);
    this.#notificationsPending = gauge(PollerMetric.notificationsPending);
    // Store and cycle totals are owned by the store and the scheduler; mirrored here at each cycle.
    this.#rowsWritten = counter(PollerMetric.rowsWrittenTotal);
    this.#rowsBuffered = gauge(PollerMetric.rowsBuffered);
    this.#rowsDropped = counter(PollerMetric.rowsDroppedTotal);
    this.#cycleDuration = gauge(PollerMetric.cycleDurationSeconds);
    this.#cyclesSkipped = counter(PollerMetric.cyclesSkippedTotal);
    this.#valuesIgnored = counter(PollerMetric.targetValuesIgnoredTotal, [SERVICE_LABEL, 'reason']);
    this.#leader = gauge(PollerMetric.leader);
  }

  /** This instance's role: 1 leader, 0 standby. */
  recordRole(role: 'leader' | 'standby'): void {
    this.#leader.set(role === 'leader' ? 1 : 0);
  }

  /** Counts values a target served that make no sense and were ignored (`reason`: "pg_database_size_limit_bytes <= 0"). */
  recordIgnoredValues(service: string, reasons: readonly string[]): void {
    for (const reason of reasons) this.#valuesIgnored.inc({ service, reason });
  }

  /** Records one scrape of `service`. */
  recordScrape(service: string, scrape: { ok: boolean; durationMs: number; samples: number; code?: string }): void {
    this.#up.set({ service }, scrape.ok ? 1 : 0);
    this.#scrapeDuration.set({ service }, scrape.durationMs / 1000);
    this.#scrapeSamples.set({ service }, scrape.samples);
    if (!scrape.ok && scrape.code) this.#scrapeFailures.inc({ service, code: scrape.code });
  }

  /** Sets the current alert level of each resource of `service`. */
  recordLevels(service: string, levels: Partial<Record<Resource, AlertLevel>>): void {
    for (const resource of RESOURCES) {
      const level = levels[resource];
      if (level !== undefined) this.#alertLevel.set({ service, resource }, levelSeverity(level));
    }
  }

  recordNotificationsSent(count: number, reason: string): void {
    this.#notificationsSent.inc({ reason }, count);
  }

  recordNotificationFailed(code: string): void {
    this.#notificationsFailed.inc({ code });
  }

  /** Mirrors totals owned elsewhere (store, scheduler, outbox) at the end of a cycle. */
  recordTotals(totals: {
    rowsWritten: number;
    rowsBuffered: number;
    rowsDropped: number;
    cycleDurationMs: number;
    cyclesSkipped: number;
    notificationsPending: number;
  }): void {
    this.#advance(this.#rowsWritten, 'rowsWritten', totals.rowsWritten);
    this.#rowsBuffered.set(totals.rowsBuffered);
    this.#advance(this.#rowsDropped, 'rowsDropped', totals.rowsDropped);
    this.#cycleDuration.set(totals.cycleDurationMs / 1000);
    this.#advance(this.#cyclesSkipped, 'cyclesSkipped', totals.cyclesSkipped);
    this.#notificationsPending.set(totals.notificationsPending);
  }

  #advance(counter: Counter, key: 'rowsWritten' | 'rowsDropped' | 'cyclesSkipped', total: number): void {
    const delta = total - this.#mirrored[key];
    if (delta > 0) counter.inc(delta);
    this.#mirrored[key] = Math.max(total, this.#mirrored[key]);
  }
}
