/**
 * "Full in ~3 days at 0.4 GB/day": a least-squares line through the recent
 * history of a quantity that fills up. No forecast from too little data or a
 * flat or shrinking trend: a wrong forecast is worse than none.
 */

export interface Point {
  at: number;
  value: number;
}

/** At least this many points over at least this span before a trend is believed. */
export const MIN_POINTS = 5;
export const MIN_SPAN_MS = 3_600_000;
/** Growth slower than this (units per day) is called flat. */
export const FLAT_PER_DAY = 1e-3;
const DAY_MS = 86_400_000;

/** The points a trend may be drawn through: finite time and value, oldest first. */
export function finitePoints(points: readonly Point[]): Point[] {
  return points.filter((p) => Number.isFinite(p.at) && Number.isFinite(p.value)).sort((a, b) => a.at - b.at);
}

/** Slope of the least-squares line, in value units per day; null when data is too short or not finite. */
export function slopePerDay(points: readonly Point[]): number | null {
  const finite = finitePoints(points);
  if (finite.length < MIN_POINTS) return null;
  const first = finite[0]!.at;
  const span = finite[finite.length - 1]!.at - first;
  if (span < MIN_SPAN_MS) return null;
  let sumX = 0;
  let sumY = 0;
  for (const p of finite) {
    sumX += (p.at - first) / DAY_MS;
    sumY += p.value;
  }
  const meanX = sumX / finite.length;
  const meanY = sumY / finite.length;
  let covariance = 0;
  let variance = 0;
  for (const p of finite) {
    const dx = (p.at - first) / DAY_MS - meanX;
    covariance += dx * (p.value - meanY);
    variance += dx * dx;
  }
  const slope = variance === 0 ? null : covariance / variance;
  return slope !== null && Number.isFinite(slope) ? slope : null;
}

/** "~5 hours", "~1 hour", "~12 days", "~1 day": a time left, in hours under a day (at least one). */
export function durationText(days: number): string {
  if (days < 1) {
    const hours = Math.max(1, Math.round(days * 24));
    return `~${hours} hour${hours === 1 ? '' : 's'}`;
  }
  return `~${Math.round(days)} day${Math.round(days) === 1 ? '' : 's'}`;
}

/** The sentence when the quantity is already at or past its capacity. */
export const OVER_LIMIT_NOW = 'Over the limit now';

/** Longest horizon worth stating; beyond it the trend says nothing useful. */
const MAX_FORECAST_DAYS = 3650;
/** Fastest growth believed (GB/day): beyond it the history is broken, not a disk filling up. */
const MAX_GB_PER_DAY = 1e6;

/**
 * A forecast sentence for a quantity in GB growing towards `capacityGb`,
 * from `usedGb` history and the value now (`currentGb`, else the newest
 * finite point); null when there is nothing trustworthy to say. Points with
 * a non-finite time or value are skipped; a non-finite capacity or current
 * value gives no forecast. Past the capacity it says "Over the limit now".
 */
export function forecastFull(usedGb: readonly Point[], capacityGb: number, currentGb?: number | null): string | null {
  if (!Number.isFinite(capacityGb) || capacityGb <= 0 || capacityGb > 1e12) return null;
  const points = finitePoints(usedGb);
  const current = currentGb ?? points[points.length - 1]?.value;
  if (current === undefined || !Number.isFinite(current)) return null;
  if (current >= capacityGb) return OVER_LIMIT_NOW;
  const slope = slopePerDay(points);
  if (slope === null || slope <= FLAT_PER_DAY || slope > MAX_GB_PER_DAY) return null;
  const days = (capacityGb - current) / slope;
  if (!Number.isFinite(days) || days > MAX_FORECAST_DAYS) return null;
  return `Full in ${durationText(days)} at ${slope.toFixed(1) === '0.0' ? slope.toFixed(2) : slope.toFixed(1)} GB/day`;
}
