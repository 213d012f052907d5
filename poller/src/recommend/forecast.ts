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

/** Slope of the least-squares line, in value units per day; null when data is too short. */
export function slopePerDay(points: readonly Point[]): number | null {
  const finite = points.filter((p) => Number.isFinite(p.value));
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
  return variance === 0 ? null : covariance / variance;
}

function duration(days: number): string {
  if (days < 1) {
    const hours = Math.max(1, Math.round(days * 24));
    return `~${hours} hour${hours === 1 ? '' : 's'}`;
  }
  return `~${Math.round(days)} day${Math.round(days) === 1 ? '' : 's'}`;
}

/**
 * A forecast sentence for a quantity in GB growing towards `capacityGb`,
 * from `usedGb` history; null when there is nothing trustworthy to say.
 */
export function forecastFull(usedGb: readonly Point[], capacityGb: number): string | null {
  const slope = slopePerDay(usedGb);
  if (slope === null || slope <= FLAT_PER_DAY) return null;
  const current = usedGb[usedGb.length - 1]!.value;
  const remaining = capacityGb - current;
  if (remaining <= 0) return null;
  return `Full in ${duration(remaining / slope)} at ${slope.toFixed(1) === '0.0' ? slope.toFixed(2) : slope.toFixed(1)} GB/day`;
}
