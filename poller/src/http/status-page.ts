/**
 * The human status page (SPEC §5 `GET /`), server-rendered from the same
 * /status document plus history: a summary line, cards sorted by severity
 * (critical, down, warning, no data, ok) with their reason, suggested action
 * and one chart per resource, the cost and capacity panel, and the incident
 * timeline. One HTML response plus one stylesheet and one script (hashed,
 * cached a year; see page/page-assets.ts). Pure: inputs in, HTML out.
 */
import type { AlertLevel, Thresholds } from '@chroma-monitor/shared';
import type { StatusReport } from '../app/status-report.js';
import type { CapacityReport } from '../report/index.js';
import type { DatabaseBucket, ServiceBucket, TimelineEntry } from '../store/index.js';
import { escapeHtml } from './html.js';
import { serviceDownAdvice } from '../alerting/service-down-advice.js';
import { renderChart, type ChartPoint } from './page/chart-svg.js';
import { PAGE_ASSETS } from './page/page-assets.js';
import { renderCostPanel } from './page/cost-panel.js';
import { renderTimeline } from './page/timeline.js';

/** The windows a user can pick; the chart shows at most this much, starting at the first point. */
export const PAGE_RANGES = { '1h': 3_600_000, '6h': 6 * 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type PageRange = keyof typeof PAGE_RANGES;
export const DEFAULT_PAGE_RANGE: PageRange = '6h';

/** A `?range=` value, or the default. */
export function pageRange(value: unknown): PageRange {
  return typeof value === 'string' && value in PAGE_RANGES ? (value as PageRange) : DEFAULT_PAGE_RANGE;
}

export interface StatusPageInputs {
  report: StatusReport;
  now: number;
  title: string;
  /** Seconds between automatic refreshes; 0 = never (`?refresh=off`, kept by every link). */
  refreshSeconds: number;
  range: PageRange;
  /** Scrape interval: decides what counts as a gap in a chart. */
  intervalMs: number;
  thresholds: Thresholds;
  /** Chart points per service over the range, oldest first. */
  history: ReadonlyMap<string, readonly ServiceBucket[]>;
  /** Database size points over the range, oldest first. */
  databaseHistory: readonly DatabaseBucket[];
  /** Chart bucket width used for the history (a gap is a few buckets or intervals). */
  bucketMs: number;
  capacity: CapacityReport | null;
  timeline: readonly TimelineEntry[];
  /** The service the timeline is filtered to, or null. */
  timelineService: string | null;
}

/** Series colours: none is a level colour (green/amber/red/grey). */
export const SERIES_COLORS = { memory: '#2563eb', cpu: '#7c3aed', disk: '#0e7490', database: '#4338ca' } as const;

type CardState = 'critical' | 'down' | 'warning' | 'no_data' | 'ok';
const ORDER: readonly CardState[] = ['critical', 'down', 'warning', 'no_data', 'ok'];

function worst(levels: readonly AlertLevel[]): AlertLevel {
  return levels.includes('critical') ? 'critical' : levels.includes('warning') ? 'warning' : levels.includes('no_data') ? 'no_data' : 'ok';
}

type Service = StatusReport['services'][number];
const stateOf = (s: Service): CardState => (s.up || s.last_scrape_at === null ? worst([s.levels.memory, s.levels.cpu, s.levels.disk]) : 'down');

const fmt = (value: number | null, unit: string) => (value === null ? 'n/a' : `${value.toFixed(1)}${unit}`);
const time = (ms: number | string | null, relative: boolean) => {
  if (ms === null) return 'never';
  const iso = typeof ms === 'number' ? new Date(ms).toISOString() : ms;
  return `<time datetime="${escapeHtml(iso)}"${relative ? ' data-relative' : ''} title="${escapeHtml(iso)}">${escapeHtml(iso.replace('T', ' ').slice(0, 19))} UTC</time>`;
};

/** The shown window: from the first point (or a few intervals back) up to the selected range. */
function window(points: readonly { at: number }[], inputs: StatusPageInputs): { from: number; to: number } {
  const earliest = inputs.now - PAGE_RANGES[inputs.range];
  const first = points[0]?.at ?? inputs.now;
  const minimumSpan = Math.max(5 * 60_000, 10 * inputs.intervalMs);
  return { from: Math.max(earliest, Math.min(first, inputs.now - minimumSpan)), to: inputs.now };
}

function resourceCharts(service: string, inputs: StatusPageInputs): string {
  const buckets = inputs.history.get(service) ?? [];
  const { from, to } = window(buckets, inputs);
  const gapMs = 3 * Math.max(inputs.intervalMs, inputs.bucketMs);
  const series = (pick: (b: ServiceBucket) => number | null): ChartPoint[] =>
    buckets.flatMap((b) => {
      const value = pick(b);
      return value === null || !Number.isFinite(value) ? [] : [{ at: b.at, value }];
    });
  const t = inputs.thresholds;
  const chart = (label: string, points: ChartPoint[], th: { warning: number; critical: number }, color: string) =>
    renderChart({ label, unit: 'percent', points, thresholds: [{ kind: 'warning', value: th.warning }, { kind: 'critical', value: th.critical }], from, to, gapMs, color });
  return [
    chart('Memory', series((b) => b.memoryPercent), t.memory, SERIES_COLORS.memory),
    chart('CPU', series((b) => b.cpuPercent), t.cpu, SERIES_COLORS.cpu),
    chart('Disk', series((b) => b.diskUsagePercent), t.disk, SERIES_COLORS.disk),
  ].join('');
}

/** The reason line and the suggested action, as the Slack message words them. */
function reasonAndAction(service: Service, state: CardState): string {
  const lines: string[] = [];
  if (state === 'down') {
    lines.push(`<p class="reason">Service down${service.last_error ? `: ${escapeHtml(service.last_error)}` : ''}</p>`);
    lines.push(`<ul class="action"><li>${escapeHtml(serviceDownAdvice(service.last_error_code))}</li></ul>`);
    return lines.join('');
  }
  const reasons = (['memory', 'cpu', 'disk'] as const).flatMap((r) => {
    const level = service.levels[r];
    if (level === 'ok') return [];
    const name = r === 'cpu' ? 'CPU' : r[0]!.toUpperCase() + r.slice(1);
    if (level === 'no_data') return [`${name}: no data`];
    const value = r === 'memory' ? service.memory_percent : r === 'cpu' ? service.cpu_percent : service.disk_usage_percent;
    return [`${name} usage ${level.toUpperCase()}: ${fmt(value, '%')}${r === 'disk' && service.disk_free_gb !== null ? ` (Free: ${service.disk_free_gb.toFixed(1)}GB)` : ''}`];
  });
  if (reasons.length > 0) lines.push(`<p class="reason">${reasons.map(escapeHtml).join('<br>')}</p>`);
  if (service.recommendations.length > 0) lines.push(`<ul class="action">${service.recommendations.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>`);
  return lines.join('');
}

function serviceCard(service: Service, inputs: StatusPageInputs): string {
  const state = stateOf(service);
  const cls = state === 'down' ? 'down' : `level-${state}`;
  const row = (label: string, value: string, level: AlertLevel) => `<tr><td>${label}</td><td class="v ${service.stale ? 'stale' : level}">${value}</td></tr>`;
  return [
    `<section class="card ${cls}" data-service="${escapeHtml(service.service)}" data-level="${state}">`,
    `<h2><span>${escapeHtml(service.service)}</span><span class="badge ${state}">${state === 'no_data' ? 'no data' : state}</span></h2>`,
    '<table class="values">',
    row('Memory', fmt(service.memory_percent, '%'), service.levels.memory),
    row('CPU', fmt(service.cpu_percent, '%'), service.levels.cpu),
    row('Disk', fmt(service.disk_usage_percent, '%'), service.levels.disk),
    row('Disk free', fmt(service.disk_free_gb, ' GB'), service.levels.disk),
    service.chroma
      ? `<tr><td>ChromaDB</td><td class="v ${service.chroma.up ? (service.stale ? 'stale' : 'ok') : 'critical'}">${service.chroma.up ? `${(service.chroma.records ?? 0).toLocaleString('en-US')} records in ${service.chroma.collections ?? 0} collections` : 'not answering'}</td></tr>`
      : '',
    '</table>',
    service.stale ? `<div class="muted stale-note">values from ${time(service.values_at, true)} (stale: the target is down)</div>` : '',
    `<div class="muted">last scrape ${time(service.last_scrape_at, true)}</div>`,
    reasonAndAction(service, state),
    `<div class="charts">${resourceCharts(service.service, inputs)}</div>`,
    '</section>',
  ].join('');
}

function databaseCard(database: NonNullable<StatusReport['database']>, inputs: StatusPageInputs): string {
  const gb = (bytes: number | null) => (bytes === null ? 'n/a' : `${(bytes / 1024 ** 3).toFixed(2)} GB`);
  const level = database.level;
  const points = inputs.databaseHistory.map((b) => ({ at: b.at, value: b.sizeBytes }));
  const { from, to } = window(points, inputs);
  const limit = database.limit_bytes;
  const chart = renderChart({
    label: 'Database size',
    unit: 'bytes',
    points,
    thresholds: [
      { kind: 'warning', value: inputs.thresholds.databaseSize.warning },
      { kind: 'critical', value: inputs.thresholds.databaseSize.critical },
      ...(limit !== null ? [{ kind: 'limit' as const, value: limit }] : []),
    ],
    from,
    to,
    gapMs: 3 * Math.max(inputs.intervalMs, inputs.bucketMs),
    color: SERIES_COLORS.database,
  });
  return [
    `<section class="card level-${level}" data-service="${escapeHtml(database.service)}" data-level="${level}">`,
    `<h2><span>${escapeHtml(database.service)} (database)</span><span class="badge ${level}">${level}</span></h2>`,
    '<table class="values">',
    `<tr><td>Size</td><td class="v ${level}">${gb(database.size_bytes)} of ${gb(database.limit_bytes)}</td></tr>`,
    `<tr><td>Connections</td><td class="v">${database.connections ?? 'n/a'}</td></tr>`,
    '</table>',
    database.recommendations.length ? `<ul class="action">${database.recommendations.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>` : '',
    `<div class="charts">${chart}</div>`,
    '</section>',
  ].join('');
}

/** "2 critical · 1 warning · 3 ok · 1 down" (only the states present, database included). */
export function summaryLine(states: readonly CardState[]): string {
  const count = (s: CardState) => states.filter((x) => x === s).length;
  const parts = (['critical', 'warning', 'ok', 'down', 'no_data'] as const)
    .filter((s) => count(s) > 0)
    .map((s) => `<span class="n-${s}">${count(s)} ${s === 'no_data' ? 'no data' : s}</span>`);
  return parts.length > 0 ? parts.join(' · ') : 'no services yet';
}

/** Renders the whole page. */
export function renderStatusPage(inputs: StatusPageInputs): string {
  const { report } = inputs;
  const services = [...report.services].sort((a, b) => ORDER.indexOf(stateOf(a)) - ORDER.indexOf(stateOf(b)) || a.service.localeCompare(b.service));
  const cards = services.map((s) => ({ state: stateOf(s), html: serviceCard(s, inputs) }));
  if (report.database) {
    const level = report.database.level === 'no_data' ? 'no_data' : report.database.level;
    const card = { state: level as CardState, html: databaseCard(report.database, inputs) };
    const at = cards.findIndex((c) => ORDER.indexOf(c.state) > ORDER.indexOf(card.state));
    cards.splice(at === -1 ? cards.length : at, 0, card);
  }
  const store = report.store.ok ? 'ok' : `degraded (${report.store.buffered_rows} rows buffered)`;
  const notifier = report.notifier.ok ? 'ok' : `failing${report.notifier.last_error ? `: ${report.notifier.last_error}` : ''}`;
  const ranges = (Object.keys(PAGE_RANGES) as PageRange[])
    .map((r) => `<a href="?range=${r}${inputs.timelineService ? `&amp;service=${encodeURIComponent(inputs.timelineService)}` : ''}${inputs.refreshSeconds === 0 ? '&amp;refresh=off' : ''}"${r === inputs.range ? ' class="on" aria-current="true"' : ''}>${r}</a>`)
    .join('');
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Without the script the page refreshes itself; with it, a refresh waits while someone is reading a tooltip.
    inputs.refreshSeconds > 0 ? `<noscript><meta http-equiv="refresh" content="${inputs.refreshSeconds}"></noscript>` : '',
    `<title>${escapeHtml(inputs.title)}</title>`,
    `<link rel="icon" href="${PAGE_ASSETS.favicon.path}" type="image/svg+xml">`,
    `<link rel="stylesheet" href="${PAGE_ASSETS.css.path}">`,
    `</head><body data-refresh="${inputs.refreshSeconds}">`,
    `<h1>${escapeHtml(inputs.title)}</h1>`,
    `<p class="summary" id="summary">${summaryLine(cards.map((c) => c.state))}</p>`,
    '<div class="bar">',
    `<span class="ranges" aria-label="chart range">${ranges}</span>`,
    `<span>Store (${escapeHtml(report.store.kind)}): ${escapeHtml(store)}</span>`,
    `<span>Alerts to ${report.notifier.destination}: ${escapeHtml(notifier)}, ${report.notifier.pending} pending</span>`,
    `<span class="muted">updated ${time(report.generated_at, true)}</span>`,
    '</div><main class="grid">',
    ...cards.map((c) => c.html),
    '</main>',
    inputs.capacity ? renderCostPanel(inputs.capacity) : '',
    renderTimeline(inputs.timeline, report.services.map((s) => s.service).concat(report.database ? [report.database.service] : []), inputs.timelineService, `${inputs.range}${inputs.refreshSeconds === 0 ? '&refresh=off' : ''}`),
    `<script src="${PAGE_ASSETS.js.path}" defer></script>`,
    '</body></html>',
  ].join('');
}
