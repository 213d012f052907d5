/**
 * The cost and capacity panel: per service its plan and monthly cost, the
 * recommended change and its delta, and the forecast dates of reaching the
 * warning threshold and the limit (disk and database), with the totals now
 * and after the changes. Rendered from the capacity report (report/), the
 * same object `chroma-monitor report` prints. Pure.
 */
import type { CapacityReport, ForecastDate } from '../../report/index.js';
import { escapeHtml } from '../html.js';

const usd = (v: number | null) => (v === null ? 'n/a' : `$${v.toFixed(2)}`);
const signed = (v: number) => `${v >= 0 ? '+' : '−'}$${Math.abs(v).toFixed(2)}`;
const when = (d: ForecastDate) => (d === null ? '—' : d === 'now' ? 'now' : d);
const changes = (list: ReadonlyArray<{ what: string; deltaUsd: number }>) => (list.length === 0 ? 'none' : list.map((c) => `${c.what} (${signed(c.deltaUsd)}/month)`).join('; '));

export function renderCostPanel(report: CapacityReport): string {
  const rows = [
    ...report.services.map((s) => [s.service, s.plan ?? 'not set', usd(s.costNow), changes(s.changes), usd(s.costAfter), `disk ${when(s.disk.warningOn)}`, `disk ${when(s.disk.fullOn)}`]),
    ...report.databases.map((d) => [d.service, d.plan ?? 'not set', usd(d.costNow), changes(d.changes), usd(d.costAfter), `database ${when(d.warningOn)}`, `database ${when(d.limitOn)}`]),
  ];
  const head = ['Service', 'Plan', 'Cost now', 'Recommended', 'Cost after', 'Warning reached', 'Limit reached'];
  return [
    '<section class="panel" id="cost">',
    '<h2>Cost and capacity</h2>',
    `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>`,
    ...rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`),
    `<tr class="total"><td>Total</td><td></td><td>${usd(report.total.now)}</td><td></td><td>${usd(report.total.after)}</td><td></td><td></td></tr>`,
    '</tbody></table>',
    report.total.unknown.length > 0 ? `<p class="muted">Not counted (set targets[].plan): ${escapeHtml(report.total.unknown.join(', '))}</p>` : '',
    `<p class="muted">Prices from ${escapeHtml(report.catalog.source)} as of ${escapeHtml(report.catalog.asOf)}; forecasts from the history shown.</p>`,
    '</section>',
  ].join('');
}
