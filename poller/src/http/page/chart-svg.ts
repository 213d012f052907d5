/**
 * One small time-series chart as server-rendered SVG: a labelled value axis
 * (percent, or bytes for the database), time labels (UTC in the markup, made
 * local by the page script), labelled warning/critical lines, the series with
 * gaps left as gaps, and a point per sample carrying its value for the hover
 * tooltip (and a <title> for when the script does not run). Pure.
 */
import { escapeHtml } from '../html.js';

export interface ChartPoint {
  /** Epoch ms. */
  at: number;
  value: number;
}

export interface ChartSpec {
  /** "Memory", "CPU", "Disk", "Database size" */
  label: string;
  unit: 'percent' | 'bytes';
  points: readonly ChartPoint[];
  /** Threshold lines, each labelled ("warn 80%"). */
  thresholds: ReadonlyArray<{ kind: 'warning' | 'critical' | 'limit'; value: number }>;
  /** The window shown, epoch ms. */
  from: number;
  to: number;
  /** Two points further apart than this are not joined (an outage is a gap). */
  gapMs: number;
  /** Series colour (never a level colour). */
  color: string;
}

const W = 300;
const H = 112;
const LEFT = 40;
const RIGHT = 6;
const TOP = 8;
const BOTTOM = 18;
const PLOT_W = W - LEFT - RIGHT;
const PLOT_H = H - TOP - BOTTOM;

const GB = 1024 ** 3;
const MB = 1024 ** 2;

/** "67.2%" or "795 MB" / "1.00 GB". */
export function formatValue(value: number, unit: ChartSpec['unit']): string {
  if (unit === 'percent') return `${value.toFixed(1)}%`;
  return value >= GB ? `${(value / GB).toFixed(2)} GB` : `${Math.round(value / MB)} MB`;
}

const axisLabel = (value: number, unit: ChartSpec['unit']) => (unit === 'percent' ? `${Math.round(value)}%` : value === 0 ? '0' : formatValue(value, unit));

/** "HH:MM" UTC for spans up to two days, else "Mon DD" — the page script rewrites it in local time. */
function timeLabel(at: number, span: number): string {
  const iso = new Date(at).toISOString();
  if (span <= 2 * 86_400_000) return iso.slice(11, 16);
  return new Date(at).toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

export function renderChart(spec: ChartSpec): string {
  const label = escapeHtml(spec.label);
  if (spec.points.length === 0) {
    return `<figure class="chart empty" data-chart="${label}"><figcaption>${label}</figcaption><p class="no-history">No history yet</p></figure>`;
  }
  const span = Math.max(1, spec.to - spec.from);
  const top = spec.unit === 'percent' ? 100 : Math.max(...spec.points.map((p) => p.value), ...spec.thresholds.map((t) => t.value)) * 1.05 || 1;
  const x = (at: number) => LEFT + ((at - spec.from) / span) * PLOT_W;
  const y = (value: number) => TOP + PLOT_H - (Math.min(top, Math.max(0, value)) / top) * PLOT_H;
  const f = (n: number) => n.toFixed(1);

  const grid = [0, top / 2, top].map((v) => `<line class="grid" x1="${LEFT}" x2="${W - RIGHT}" y1="${f(y(v))}" y2="${f(y(v))}"/><text class="ylabel" x="${LEFT - 3}" y="${f(y(v) + 3)}">${escapeHtml(axisLabel(v, spec.unit))}</text>`);
  const ticks = [0, 1 / 3, 2 / 3, 1].map((share) => {
    const at = spec.from + share * span;
    const anchor = share === 0 ? 'start' : share === 1 ? 'end' : 'middle';
    return `<text class="xlabel" x="${f(x(at))}" y="${H - 4}" text-anchor="${anchor}" data-t="${Math.round(at)}" data-span="${span}">${timeLabel(at, span)}</text>`;
  });
  const thresholds = spec.thresholds.map((t) => {
    const word = t.kind === 'warning' ? 'warn' : t.kind === 'critical' ? 'crit' : 'limit';
    return `<line class="th th-${t.kind}" x1="${LEFT}" x2="${W - RIGHT}" y1="${f(y(t.value))}" y2="${f(y(t.value))}"/><text class="thlabel th-${t.kind}" x="${W - RIGHT - 2}" y="${f(y(t.value) - 2)}">${word} ${escapeHtml(axisLabel(t.value, spec.unit))}</text>`;
  });

  const segments: string[][] = [];
  let previous: ChartPoint | null = null;
  for (const p of spec.points) {
    if (!previous || p.at - previous.at > spec.gapMs) segments.push([]);
    segments[segments.length - 1]!.push(`${f(x(p.at))},${f(y(p.value))}`);
    previous = p;
  }
  const lines = segments.filter((s) => s.length > 1).map((s) => `<polyline class="series" stroke="${spec.color}" points="${s.join(' ')}"/>`);
  const points = spec.points.map((p) => {
    const text = formatValue(p.value, spec.unit);
    return `<circle class="pt" cx="${f(x(p.at))}" cy="${f(y(p.value))}" r="${spec.points.length === 1 ? 3 : 1.6}" fill="${spec.color}" data-v="${escapeHtml(text)}" data-t="${p.at}"><title>${escapeHtml(`${spec.label} ${text} at ${new Date(p.at).toISOString().slice(0, 16)}Z`)}</title></circle>`;
  });
  return [
    `<figure class="chart" data-chart="${label}"><figcaption>${label}</figcaption>`,
    `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${label} over time">`,
    ...grid,
    ...ticks,
    ...thresholds,
    ...lines,
    ...points,
    '</svg></figure>',
  ].join('');
}
