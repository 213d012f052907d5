/**
 * CPU % over a window (SPEC §8 "CPU %"): the rate of the exporter's CPU
 * counter over at least `cpu_window`, like Prometheus' `rate(…[1m])`, timed
 * by when the exporter READ the counter (its `resource_sample_timestamp_seconds`
 * gauge) rather than when the poller sent the request. Request timing is
 * off by the scrape's own latency at both ends: on a throttled container a
 * 2 s window was 9–14 points wrong. Readings survive failed scrapes, so the
 * first value after a timeout spans the gap instead of losing it.
 *
 * Pure: readings in, readings and values out.
 */

/** One reading of a target's CPU counters. */
export interface CpuReading {
  /** Epoch ms the exporter read the counters (else the scrape's time). */
  at: number;
  /** `resource_cpu_seconds_total`. */
  cpuSeconds: number;
  /** `resource_cpu_limit_cores` at that reading. */
  limitCores: number;
  /** `resource_cpu_periods_total`, `resource_cpu_throttled_periods_total`, `resource_cpu_throttled_seconds_total`; null when not served. */
  periods: number | null;
  throttledPeriods: number | null;
  throttledSeconds: number | null;
}

export interface CpuWindowValues {
  /** CPU used over the window / limit, percent, 0..100. */
  cpuPercent: number;
  /** Throttled periods / periods over the window, 0..1; null without the throttling counters. */
  throttledRatio: number | null;
  /** (CPU time + throttled time) / window / limit, percent (can exceed 100); null without throttled time. */
  demandPercent: number | null;
}

/**
 * A reading counts as far enough back when it is at least this share of the
 * window old: a scrape that lands a few ms early must not skip a whole interval.
 */
export const WINDOW_TOLERANCE = 0.95;

/** The newest reading at least (almost) `windowMs` older than `latest`, or null. */
function baseline(readings: readonly CpuReading[], latest: CpuReading, windowMs: number): CpuReading | null {
  for (let i = readings.length - 1; i >= 0; i--) {
    const r = readings[i]!;
    if (latest.at - r.at >= windowMs * WINDOW_TOLERANCE) return r;
  }
  return null;
}

/**
 * Appends `reading` to `readings`, keeping only what a later window can
 * still need (the newest reading older than one window, and everything
 * after it). A counter that went down means the service restarted: the
 * readings start again from the new one (no rate across a reset).
 */
export function addCpuReading(readings: readonly CpuReading[], reading: CpuReading, windowMs: number): CpuReading[] {
  const last = readings[readings.length - 1];
  if (!last) return [reading];
  // The same reading served again (the exporter shares one reading between scrapes a few ms apart): nothing new.
  if (reading.at === last.at && reading.cpuSeconds === last.cpuSeconds) return [...readings];
  // The exporter's clock went back, or the counter did (a restart): start again from this reading.
  if (reading.at <= last.at || reading.cpuSeconds < last.cpuSeconds) return [reading];
  const kept = [...readings, reading];
  const base = baseline(kept, reading, windowMs);
  // Everything before the baseline is older than any window from here on.
  return base ? kept.slice(kept.indexOf(base)) : kept;
}

const delta = (a: number | null, b: number | null) => (a === null || b === null || b < a ? null : b - a);

/** CPU values over the window ending at the newest reading; null until the readings span the window. */
export function cpuOverWindow(readings: readonly CpuReading[], windowMs: number): CpuWindowValues | null {
  const latest = readings[readings.length - 1];
  if (!latest || !(latest.limitCores > 0)) return null;
  const base = baseline(readings, latest, windowMs);
  if (!base) return null;
  const seconds = (latest.at - base.at) / 1000;
  const used = latest.cpuSeconds - base.cpuSeconds;
  const cores = latest.limitCores;
  const cpuPercent = Math.min(100, Math.max(0, (used / seconds / cores) * 100));
  const periods = delta(base.periods, latest.periods);
  const throttledPeriods = delta(base.throttledPeriods, latest.throttledPeriods);
  const throttledSeconds = delta(base.throttledSeconds, latest.throttledSeconds);
  return {
    cpuPercent,
    throttledRatio: periods !== null && periods > 0 && throttledPeriods !== null ? Math.min(1, throttledPeriods / periods) : null,
    demandPercent: throttledSeconds === null ? null : ((used + throttledSeconds) / seconds / cores) * 100,
  };
}
