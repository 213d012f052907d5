/**
 * A small inline SVG line chart of memory, CPU and disk percent over time.
 * Inline SVG, no script and no external asset: the page works offline and
 * behind strict networks.
 */
import type { ServiceSample } from '../store/types.js';

const WIDTH = 320;
const HEIGHT = 90;
const SERIES = [
  { key: 'memoryPercent', label: 'memory', color: '#2563eb' },
  { key: 'cpuPercent', label: 'cpu', color: '#16a34a' },
  { key: 'diskUsagePercent', label: 'disk', color: '#9333ea' },
] as const;

/** Polyline points for one series; gaps (null values) split the line. */
function paths(samples: readonly ServiceSample[], key: (typeof SERIES)[number]['key'], from: number, to: number): string[] {
  const span = Math.max(1, to - from);
  const segments: string[] = [];
  let current: string[] = [];
  for (const sample of samples) {
    const value = sample[key];
    if (value === null) {
      if (current.length > 0) segments.push(current.join(' '));
      current = [];
      continue;
    }
    const x = ((sample.recordedAt - from) / span) * WIDTH;
    const y = HEIGHT - (Math.min(100, Math.max(0, value)) / 100) * HEIGHT;
    current.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  }
  if (current.length > 0) segments.push(current.join(' '));
  return segments;
}

/** The chart for one service over [from, to]; a note instead when there is no history yet. */
export function renderHistoryChart(samples: readonly ServiceSample[], from: number, to: number, thresholds: { warning: number; critical: number }): string {
  if (samples.length === 0) return '<p class="muted">No history yet.</p>';
  const y = (percent: number) => (HEIGHT - (percent / 100) * HEIGHT).toFixed(1);
  const lines = SERIES.flatMap((series) =>
    paths(samples, series.key, from, to).map(
      (points) => `<polyline fill="none" stroke="${series.color}" stroke-width="1.5" points="${points}"><title>${series.label}</title></polyline>`,
    ),
  );
  return [
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="memory, CPU and disk percent over time" preserveAspectRatio="none">`,
    `<line x1="0" x2="${WIDTH}" y1="${y(thresholds.warning)}" y2="${y(thresholds.warning)}" class="th-warning"/>`,
    `<line x1="0" x2="${WIDTH}" y1="${y(thresholds.critical)}" y2="${y(thresholds.critical)}" class="th-critical"/>`,
    ...lines,
    '</svg>',
    '<div class="legend">',
    ...SERIES.map((s) => `<span><i style="background:${s.color}"></i>${s.label}</span>`),
    `<span class="muted">last ${Math.round((to - from) / 3_600_000)} h</span>`,
    '</div>',
  ].join('');
}
