/**
 * The level of a value against warning/critical thresholds: `>=` at the
 * boundary going up, and hysteresis going down, so a value hovering at 80 %
 * does not flap between warning and ok every scrape (Gatus' "M successes to
 * resolve", as a margin instead of a count).
 */
import type { Level } from '@chroma-monitor/shared';

/** A level is left only when the value falls 5 % (relative) below its threshold: 80 % → below 76 %. */
export const HYSTERESIS_RATIO = 0.05;

export interface ThresholdPair {
  warning: number;
  critical: number;
}

const exit = (threshold: number) => threshold * (1 - HYSTERESIS_RATIO);

/**
 * The level for `value` given the level in effect. No value (null, NaN,
 * ±Inf) keeps the previous level: a gap in data neither fires nor resolves.
 */
export function levelFor(value: number | null, thresholds: ThresholdPair, previous: Level): Level {
  if (value === null || !Number.isFinite(value)) return previous;
  if (value >= thresholds.critical) return 'critical';
  if (previous === 'critical' && value >= exit(thresholds.critical)) return 'critical';
  if (value >= thresholds.warning) return 'warning';
  if (previous !== 'ok' && value >= exit(thresholds.warning)) return 'warning';
  return 'ok';
}
