/**
 * The capacity report in the three formats of `chroma-monitor report
 * --format md|html|json`. JSON speaks snake_case like `/status`; Markdown
 * and HTML show the same tables (one per services and databases, then the
 * totals), with every value from the report object, none recomputed here.
 */
import { escapeHtml } from '../http/html.js';
import type { CapacityReport, DatabaseReport, ForecastDate, ServiceReport } from './capacity-report.js';

export const REPORT_FORMATS = ['md', 'html', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const pct = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)}%`);
const usd = (v: number | null) => (v === null ? 'n/a' : `$${v.toFixed(2)}`);
const signed = (v: number) => `${v >= 0 ? '+' : '−'}$${Math.abs(v).toFixed(2)}`;
const gb = (bytes: number | null) => (bytes === null ? 'n/a' : `${(bytes / 1024 ** 3).toFixed(2)}GB`);
const when = (d: ForecastDate) => (d === null ? '—' : d);
const changesText = (changes: ReadonlyArray<{ what: string; deltaUsd: number }>) => (changes.length === 0 ? 'none' : changes.map((c) => `${c.what} (${signed(c.deltaUsd)}/month)`).join('; '));

/** The report as JSON (snake_case, like /status). */
export function reportJson(report: CapacityReport): unknown {
  const service = (s: ServiceReport) => ({
    service: s.service,
    plan: s.plan,
    samples: s.samples,
    memory_percent: { peak: s.memory.peak, p95: s.memory.p95 },
    cpu_percent: { peak: s.cpu.peak, p95: s.cpu.p95 },
    disk: { peak_percent: s.disk.peak, p95_percent: s.disk.p95, now_percent: s.disk.now, free_gb: s.disk.freeGb, size_gb: s.disk.sizeGb, growth_gb_per_day: s.disk.growthGbPerDay, warning_on: s.disk.warningOn, full_on: s.disk.fullOn },
    alerts: s.alerts,
    cost_now_usd: s.costNow,
    changes: s.changes.map((c) => ({ what: c.what, delta_usd: c.deltaUsd })),
    cost_after_usd: s.costAfter,
  });
  const database = (d: DatabaseReport) => ({
    service: d.service,
    plan: d.plan,
    size_now_bytes: d.sizeNowBytes,
    size_peak_bytes: d.sizePeakBytes,
    limit_bytes: d.limitBytes,
    growth_bytes_per_day: d.growthBytesPerDay,
    warning_on: d.warningOn,
    limit_on: d.limitOn,
    cost_now_usd: d.costNow,
    changes: d.changes.map((c) => ({ what: c.what, delta_usd: c.deltaUsd })),
    cost_after_usd: d.costAfter,
  });
  return {
    generated_at: iso(report.generatedAt),
    since: iso(report.sinceMs),
    catalog: { as_of: report.catalog.asOf, source: report.catalog.source },
    services: report.services.map(service),
    databases: report.databases.map(database),
    total: { now_usd: report.total.now, after_usd: report.total.after, unknown_cost: report.total.unknown },
  };
}

interface Table {
  head: string[];
  rows: string[][];
}

function tables(report: CapacityReport): { services: Table; databases: Table; totals: string[] } {
  return {
    services: {
      head: ['Service', 'Plan', 'Memory peak / p95', 'CPU peak / p95', 'Disk peak / p95', 'Disk growth', 'Disk warning on', 'Disk full on', 'Alerts', 'Cost now', 'Recommended', 'Cost after'],
      rows: report.services.map((s) => [
        s.service,
        s.plan ?? 'unknown',
        `${pct(s.memory.peak)} / ${pct(s.memory.p95)}`,
        `${pct(s.cpu.peak)} / ${pct(s.cpu.p95)}`,
        `${pct(s.disk.peak)} / ${pct(s.disk.p95)}`,
        s.disk.growthGbPerDay === null ? 'n/a' : `${s.disk.growthGbPerDay.toFixed(2)} GB/day`,
        when(s.disk.warningOn),
        when(s.disk.fullOn),
        String(s.alerts.sent + s.alerts.pending + s.alerts.failed),
        usd(s.costNow),
        changesText(s.changes),
        usd(s.costAfter),
      ]),
    },
    databases: {
      head: ['Database', 'Plan', 'Size now', 'Peak', 'Limit', 'Growth', 'Warning on', 'Limit on', 'Cost now', 'Recommended', 'Cost after'],
      rows: report.databases.map((d) => [
        d.service,
        d.plan ?? 'unknown',
        gb(d.sizeNowBytes),
        gb(d.sizePeakBytes),
        gb(d.limitBytes),
        d.growthBytesPerDay === null ? 'n/a' : `${(d.growthBytesPerDay / 1024 ** 2).toFixed(1)} MiB/day`,
        when(d.warningOn),
        when(d.limitOn),
        usd(d.costNow),
        changesText(d.changes),
        usd(d.costAfter),
      ]),
    },
    totals: [
      `Monthly cost now: ${usd(report.total.now)}; after the recommended changes: ${usd(report.total.after)}`,
      ...(report.total.unknown.length > 0 ? [`Not counted (no plan set): ${report.total.unknown.join(', ')}`] : []),
      `Prices: ${report.catalog.source}, as of ${report.catalog.asOf}`,
    ],
  };
}

/** Markdown: a table cell never breaks the table (| and line breaks escaped). */
export function reportMarkdown(report: CapacityReport): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const table = (t: Table) => [`| ${t.head.join(' | ')} |`, `|${t.head.map(() => '---').join('|')}|`, ...t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
  const t = tables(report);
  return [
    `# Capacity report`,
    '',
    `${iso(report.sinceMs)} to ${iso(report.generatedAt)}`,
    '',
    '## Services',
    '',
    table(t.services),
    '',
    ...(t.databases.rows.length > 0 ? ['## Databases', '', table(t.databases), ''] : []),
    '## Cost',
    '',
    ...t.totals.map((line) => `- ${cell(line)}`),
    '',
  ].join('\n');
}

/** A standalone HTML page (inline style, no script), every value escaped. */
export function reportHtml(report: CapacityReport): string {
  const table = (t: Table) => `<table><thead><tr>${t.head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${t.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  const t = tables(report);
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>Capacity report</title>',
    '<style>body{font-family:system-ui,sans-serif;margin:1.5rem;color:#111}table{border-collapse:collapse;margin:.5rem 0 1.5rem;font-size:.9rem}th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left}th{background:#f3f4f6}</style>',
    '</head><body>',
    '<h1>Capacity report</h1>',
    `<p>${escapeHtml(iso(report.sinceMs))} to ${escapeHtml(iso(report.generatedAt))}</p>`,
    '<h2>Services</h2>',
    table(t.services),
    ...(t.databases.rows.length > 0 ? ['<h2>Databases</h2>', table(t.databases)] : []),
    '<h2>Cost</h2>',
    `<ul>${t.totals.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`,
    '</body></html>',
  ].join('');
}

/** The report in `format`. */
export function renderReport(report: CapacityReport, format: ReportFormat): string {
  if (format === 'json') return `${JSON.stringify(reportJson(report), null, 2)}\n`;
  return format === 'html' ? `${reportHtml(report)}\n` : reportMarkdown(report);
}
