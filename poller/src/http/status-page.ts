/**
 * The human status page at `/` (SPEC §5 HTTP): every service with its values
 * coloured by level, a small history chart, active alerts with their
 * recommendations, and the age of the last scrape. Server-rendered, refreshes
 * itself, readable on a phone, nothing loaded from the internet.
 */
import type { AlertLevel as Level } from '@chroma-monitor/shared';
import type { StatusReport } from '../app/status-report.js';
import type { ServiceSample } from '../store/types.js';
import { renderHistoryChart } from './history-chart.js';
import { escapeHtml } from './html.js';

export interface StatusPageInputs {
  report: StatusReport;
  now: number;
  /** History per service, ascending by time, over [historyFrom, now]. */
  history: ReadonlyMap<string, readonly ServiceSample[]>;
  historyFrom: number;
  refreshSeconds: number;
  title: string;
  chartThresholds: { warning: number; critical: number };
}

const STYLE = `
:root{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#111;background:#f6f7f9}
body{margin:0;padding:12px;max-width:1100px;margin-inline:auto}
h1{font-size:1.3rem;margin:.2rem 0 .8rem}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:12px}
.card{background:#fff;border-radius:8px;padding:12px;border-left:6px solid #16a34a;box-shadow:0 1px 2px #0001}
.card.level-warning{border-left-color:#d97706}.card.level-critical{border-left-color:#dc2626;background:#fff5f5}
.card.down{border-left-color:#6b7280;background:#f3f4f6}
.card h2{font-size:1.05rem;margin:0 0 .4rem;display:flex;justify-content:space-between;gap:8px}
.badge{font-size:.75rem;padding:2px 8px;border-radius:999px;color:#fff;background:#16a34a;text-transform:uppercase;font-weight:600}
.badge.warning{background:#d97706}.badge.critical{background:#dc2626}.badge.down{background:#6b7280}
table{width:100%;border-collapse:collapse;font-size:.9rem}td{padding:2px 0}td.v{text-align:right;font-variant-numeric:tabular-nums}
td.ok{color:#166534}td.warning{color:#b45309;font-weight:600}td.critical{color:#b91c1c;font-weight:700}
.muted{color:#6b7280;font-size:.85rem}.err{color:#b91c1c;font-size:.85rem;word-break:break-word}
.chart{width:100%;height:90px;background:#fafafa;border:1px solid #eee;margin-top:6px}
.th-warning{stroke:#d97706;stroke-dasharray:4 3;stroke-width:.8}.th-critical{stroke:#dc2626;stroke-dasharray:4 3;stroke-width:.8}
.legend{font-size:.75rem;color:#555;display:flex;gap:10px}.legend i{display:inline-block;width:10px;height:3px;margin-right:4px;vertical-align:middle}
ul.rec{margin:.4rem 0 0;padding-left:1.1rem;font-size:.85rem}
.v.stale{color:#8a8a8a;font-style:italic}.v.no_data{color:#8a8a8a}
.health{display:flex;gap:16px;flex-wrap:wrap;font-size:.85rem;margin:0 0 12px}
`;

function ageText(now: number, iso: string | null): string {
  if (!iso) return 'never scraped';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 120) return `${seconds}s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m ago`;
  return `${Math.round(seconds / 3600)}h ago`;
}

function worst(levels: readonly Level[]): Level {
  return levels.includes('critical') ? 'critical' : levels.includes('warning') ? 'warning' : levels.includes('no_data') ? 'no_data' : 'ok';
}

const fmt = (value: number | null, unit: string) => (value === null ? 'n/a' : `${value.toFixed(1)}${unit}`);

function serviceCard(service: StatusReport['services'][number], inputs: StatusPageInputs): string {
  const level = worst([service.levels.memory, service.levels.cpu, service.levels.disk]);
  const state = service.up ? level : 'down';
  const cls = service.up ? `level-${level}` : 'down';
  // A down target's values are its last ones: greyed, with their age, never coloured as current.
  const row = (label: string, value: string, rowLevel: Level) =>
    `<tr><td>${label}</td><td class="v ${service.stale ? 'stale' : rowLevel}">${value}</td></tr>`;
  const recommendations = service.recommendations.length
    ? `<ul class="rec">${service.recommendations.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>`
    : '';
  return [
    `<section class="card ${cls}" data-service="${escapeHtml(service.service)}" data-level="${state}">`,
    `<h2><span>${escapeHtml(service.service)}</span><span class="badge ${state}">${state}</span></h2>`,
    '<table>',
    row('Memory', fmt(service.memory_percent, '%'), service.levels.memory),
    row('CPU', fmt(service.cpu_percent, '%'), service.levels.cpu),
    row('Disk', fmt(service.disk_usage_percent, '%'), service.levels.disk),
    row('Disk free', fmt(service.disk_free_gb, ' GB'), service.levels.disk),
    '</table>',
    service.stale ? `<div class="muted stale-note">values from ${ageText(inputs.now, service.values_at)} (stale: the target is down)</div>` : '',
    `<div class="muted">last scrape ${ageText(inputs.now, service.last_scrape_at)}</div>`,
    service.last_error ? `<div class="err">${escapeHtml(service.last_error)}</div>` : '',
    renderHistoryChart(inputs.history.get(service.service) ?? [], inputs.historyFrom, inputs.now, inputs.chartThresholds),
    recommendations,
    '</section>',
  ].join('');
}

function databaseCard(database: NonNullable<StatusReport['database']>): string {
  const gb = (bytes: number | null) => (bytes === null ? 'n/a' : `${(bytes / 1024 ** 3).toFixed(2)} GB`);
  const recommendations = database.recommendations.length
    ? `<ul class="rec">${database.recommendations.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>`
    : '';
  return [
    `<section class="card level-${database.level}" data-service="${escapeHtml(database.service)}" data-level="${database.level}">`,
    `<h2><span>${escapeHtml(database.service)} (database)</span><span class="badge ${database.level}">${database.level}</span></h2>`,
    '<table>',
    `<tr><td>Size</td><td class="v ${database.level}">${gb(database.size_bytes)} of ${gb(database.limit_bytes)}</td></tr>`,
    `<tr><td>Connections</td><td class="v">${database.connections ?? 'n/a'}</td></tr>`,
    '</table>',
    recommendations,
    '</section>',
  ].join('');
}

/** Renders the whole page. */
export function renderStatusPage(inputs: StatusPageInputs): string {
  const { report } = inputs;
  const store = report.store.ok ? 'ok' : `degraded (${report.store.buffered_rows} rows buffered)`;
  const notifier = report.notifier.ok ? 'ok' : `failing${report.notifier.last_error ? `: ${report.notifier.last_error}` : ''}`;
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="refresh" content="${inputs.refreshSeconds}">`,
    `<title>${escapeHtml(inputs.title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${escapeHtml(inputs.title)}</h1>`,
    '<div class="health">',
    `<span>Store (${escapeHtml(report.store.kind)}): ${escapeHtml(store)}</span>`,
    `<span>Alerts to ${report.notifier.destination}: ${escapeHtml(notifier)}, ${report.notifier.pending} pending</span>`,
    `<span class="muted">updated ${escapeHtml(report.generated_at)}</span>`,
    '</div><main class="grid">',
    ...report.services.map((service) => serviceCard(service, inputs)),
    report.database ? databaseCard(report.database) : '',
    '</main></body></html>',
  ].join('');
}
