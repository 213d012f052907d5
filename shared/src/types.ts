/** Vocabulary both sides use. */

/** The resources thresholds are evaluated on. */
export const RESOURCES = ['memory', 'cpu', 'disk', 'database'] as const;
export type Resource = (typeof RESOURCES)[number];

/** Alert levels, in order of severity. */
export const LEVELS = ['ok', 'warning', 'critical'] as const;
export type Level = (typeof LEVELS)[number];

/**
 * A resource's alert state: a threshold level, or `no_data` once its series
 * has been absent for `no_data_after` successful scrapes (SPEC §8 "No data").
 */
export type AlertLevel = Level | 'no_data';

/** Numeric severity, as exposed on the `alert_level` gauge: 0 ok, 1 warning, 2 critical, -1 no data. */
export function levelSeverity(level: AlertLevel): number {
  return level === 'no_data' ? -1 : LEVELS.indexOf(level);
}

/** True when `value` is a valid alert level name (a threshold level or `no_data`). */
export function isAlertLevel(value: unknown): value is AlertLevel {
  return value === 'no_data' || isLevel(value);
}

/** True when `value` is a valid level name. */
export function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}

/** True when `value` is a valid resource name. */
export function isResource(value: unknown): value is Resource {
  return typeof value === 'string' && (RESOURCES as readonly string[]).includes(value);
}
