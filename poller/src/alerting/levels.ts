/**
 * The level of a value against warning/critical thresholds: `>=` at the
 * boundary going up, and hysteresis going down, so a value hovering at 80 %
 * does not flap between warning and ok every scrape (Gatus' "M successes to
 * resolve", as a margin instead of a count).
 */
import type { AlertLevel, Level } from '@chroma-monitor/shared';

/** A level is left only when the value falls 5 % (relative) below its threshold: 80 % → below 76 %. */
export const HYSTERESIS_RATIO = 0.05;

export interface ThresholdPair {
  warning: number;
  critical: number;
}

/**
 * Where a level is left. Never below the next lower threshold (SPEC §8
 * "Hysteresis"): with warning 80 and critical 82, critical is left below
 * 80 (not 77.9), so 79 % reads warning, never "CRITICAL: 79.0%".
 */
export function exitLevel(thresholds: ThresholdPair, level: 'warning' | 'critical'): number {
  if (level === 'critical') return Math.max(thresholds.critical * (1 - HYSTERESIS_RATIO), thresholds.warning);
  return thresholds.warning * (1 - HYSTERESIS_RATIO);
}

/**
 * The level for `value` given the level in effect. No value (null, NaN,
 * ±Inf) keeps the previous level: a gap in data neither fires nor resolves.
 * A previous `no_data` has no hysteresis: the value alone decides.
 */
export function levelFor(value: number | null, thresholds: ThresholdPair, previous: AlertLevel): Level {
  const from: Level = previous === 'no_data' ? 'ok' : previous;
  if (value === null || !Number.isFinite(value)) return from;
  if (value >= thresholds.critical) return 'critical';
  if (from === 'critical' && value >= exitLevel(thresholds, 'critical')) return 'critical';
  if (value >= thresholds.warning) return 'warning';
  if (from !== 'ok' && value >= exitLevel(thresholds, 'warning')) return 'warning';
  return 'ok';
}
