/** Vocabulary both sides use. */

/** The resources thresholds are evaluated on. */
export const RESOURCES = ['memory', 'cpu', 'disk', 'database'] as const;
export type Resource = (typeof RESOURCES)[number];

/** Alert levels, in order of severity. */
export const LEVELS = ['ok', 'warning', 'critical'] as const;
export type Level = (typeof LEVELS)[number];

/** Numeric severity, as exposed on the `alert_level` gauge. */
export function levelSeverity(level: Level): number {
  return LEVELS.indexOf(level);
}

/** True when `value` is a valid level name. */
export function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}

/** True when `value` is a valid resource name. */
export function isResource(value: unknown): value is Resource {
  return typeof value === 'string' && (RESOURCES as readonly string[]).includes(value);
}
