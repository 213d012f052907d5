import { describe, expect, it } from 'vitest';
import { renderChart } from '../src/http/page/chart-svg.js';

const T = Date.parse('2026-11-24T10:00:00Z');
const MIN = 60_000;
const MiB = 1024 ** 2;

describe('renderChart', () => {
  it('the database chart: a bytes axis, warning/critical/limit lines labelled in bytes', () => {
    const svg = renderChart({
      label: 'Database size',
      unit: 'bytes',
      points: [{ at: T - 10 * MIN, value: 700 * MiB }, { at: T, value: 790 * MiB }],
      thresholds: [{ kind: 'warning', value: 800 * MiB }, { kind: 'critical', value: 950 * MiB }, { kind: 'limit', value: 1024 * MiB }],
      from: T - 10 * MIN,
      to: T,
      gapMs: 3 * MIN,
      color: '#4338ca',
    });
    expect([...svg.matchAll(/<text class="ylabel"[^>]*>([^<]*)</g)].map((m) => m[1])).toEqual(['0', '538 MB', '1.05 GB']);
    expect([...svg.matchAll(/<text class="thlabel[^>]*>([^<]*)</g)].map((m) => m[1])).toEqual(['warn 800 MB', 'crit 950 MB', 'limit 1.00 GB']);
    expect([...svg.matchAll(/<title>([^<]*)</g)].map((m) => m[1])).toEqual(['Database size 700 MB at 2026-11-24T09:50Z', 'Database size 790 MB at 2026-11-24T10:00Z']);
  });

  it('a single sample is drawn as a visible point; points further apart than the gap are not joined', () => {
    const one = renderChart({ label: 'CPU', unit: 'percent', points: [{ at: T, value: 12 }], thresholds: [], from: T - 5 * MIN, to: T, gapMs: MIN, color: '#7c3aed' });
    expect(one).toContain('r="3"');
    expect(one).not.toContain('<polyline');
    const gapped = renderChart({ label: 'CPU', unit: 'percent', points: [0, 1, 2, 10, 11].map((m) => ({ at: T - (11 - m) * MIN, value: 10 })), thresholds: [], from: T - 11 * MIN, to: T, gapMs: 90_000, color: '#7c3aed' });
    expect(gapped.match(/<polyline/g)).toHaveLength(2);
  });

  it('no points: "No history yet"', () => {
    expect(renderChart({ label: 'Disk', unit: 'percent', points: [], thresholds: [], from: T - MIN, to: T, gapMs: MIN, color: '#0e7490' })).toContain('<p class="no-history">No history yet</p>');
  });
});
