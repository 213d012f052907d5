/**
 * Gathers what the status page shows for one request (`?range=`,
 * `?service=`): chart buckets per service and for the database, the
 * capacity report over the range, and the incident timeline, then renders.
 * Each read that fails leaves its part empty: the page always renders.
 */
import type { Clock, MonitorConfig } from '@chroma-monitor/shared';
import { pageRange, PAGE_RANGES, renderStatusPage } from '../http/status-page.js';
import type { PlanCatalog } from '../recommend/index.js';
import { buildCapacityReport, type CapacityReport } from '../report/index.js';
import type { DatabaseBucket, ServiceBucket, Store, TimelineEntry } from '../store/index.js';
import type { StatusReport } from './status-report.js';

/** Points per chart at most: the bucket width is the range over this. */
export const CHART_POINTS = 240;
/** Alerts listed in the timeline. */
export const TIMELINE_LIMIT = 50;
/** Services with charts on one page (the rest show values only). */
const CHARTED_SERVICES = 50;
/**
 * The capacity panel's report is reused this long per range: its percentiles sort every row of the
 * range (a month of them for 30d), and the page refreshes itself every interval.
 */
export const CAPACITY_CACHE_MS = 60_000;

export interface PageQuery {
  range?: unknown;
  service?: unknown;
  /** `off` stops the automatic refresh (a wall screen reads it live; someone studying a chart may not want it). */
  refresh?: unknown;
}

export interface PageDeps {
  config: MonitorConfig;
  clock: Clock;
  store: Pick<Store, 'serviceBuckets' | 'databaseBuckets' | 'recentAlerts' | 'capacity'>;
  catalog: PlanCatalog;
  status: () => Promise<StatusReport>;
}

/** The page for each request, with the capacity report cached per range for CAPACITY_CACHE_MS. */
export function createPageRenderer(deps: PageDeps): (query: PageQuery) => Promise<string> {
  const cache = new Map<string, { at: number; report: CapacityReport }>();
  const capacity = async (range: string, since: number, now: number): Promise<CapacityReport | null> => {
    const cached = cache.get(range);
    if (cached && now - cached.at >= 0 && now - cached.at < CAPACITY_CACHE_MS) return cached.report;
    try {
      const figures = await deps.store.capacity(since, now);
      const report = buildCapacityReport({ now, sinceMs: since, ...figures, targets: deps.config.targets, thresholds: deps.config.thresholds, catalog: deps.catalog });
      cache.set(range, { at: now, report });
      return report;
    } catch {
      return null; // the panel is left out; the rest of the page still shows
    }
  };
  return (query) => renderPage(deps, query, capacity);
}

async function renderPage(deps: PageDeps, query: PageQuery, capacityOf: (range: string, since: number, now: number) => Promise<CapacityReport | null>): Promise<string> {
  const { config, clock, store } = deps;
  const report = await deps.status();
  const now = clock.now();
  const range = pageRange(query.range);
  const since = now - PAGE_RANGES[range];
  const bucketMs = Math.max(config.intervalMs, Math.ceil(PAGE_RANGES[range] / CHART_POINTS));
  const known = new Set([...report.services.map((s) => s.service), ...(report.database ? [report.database.service] : [])]);
  const timelineService = typeof query.service === 'string' && known.has(query.service) ? query.service : null;

  const history = new Map<string, ServiceBucket[]>();
  await Promise.all(report.services.slice(0, CHARTED_SERVICES).map(async (s) => {
    history.set(s.service, await store.serviceBuckets(s.service, since, bucketMs).catch(() => []));
  }));
  const databaseHistory: DatabaseBucket[] = report.database ? await store.databaseBuckets(report.database.service, since, bucketMs).catch(() => []) : [];
  const timeline: TimelineEntry[] = await store.recentAlerts(TIMELINE_LIMIT, timelineService).catch(() => []);
  const capacity = await capacityOf(range, since, now);
  return renderStatusPage({
    report,
    now,
    title: config.slack.title.replace(/Alert$/, 'Status'),
    refreshSeconds: query.refresh === 'off' ? 0 : Math.max(5, Math.round(config.intervalMs / 1000)),
    range,
    intervalMs: config.intervalMs,
    thresholds: config.thresholds,
    history,
    databaseHistory,
    bucketMs,
    capacity,
    timeline,
    timelineService,
  });
}
