/**
 * What is remembered per alert key (`service:resource`) between checks and
 * across restarts (persisted as JSON): the level in effect, what was last
 * notified, when each kind of message went out, and consecutive scrape
 * outcomes for "service down".
 */
import type { Level } from '@chroma-monitor/shared';

export interface AlertState {
  /** Level in effect (after hysteresis). */
  level: Level;
  /** When `level` began (epoch ms). */
  since: number;
  /** Level of the last alert sent in the current episode; 'ok' when nothing is active. */
  notifiedLevel: Level;
  lastWarningAt: number | null;
  lastCriticalAt: number | null;
  /** Last database alert of any level (the database cooldown). */
  lastDatabaseAt: number | null;
  /** Consecutive failed and successful scrapes (service keys only). */
  failures: number;
  successes: number;
}

export function initialAlertState(now: number): AlertState {
  return { level: 'ok', since: now, notifiedLevel: 'ok', lastWarningAt: null, lastCriticalAt: null, lastDatabaseAt: null, failures: 0, successes: 0 };
}

/** Key of an alert: one per service and resource (`service` for down/up). */
export function alertKey(service: string, resource: string): string {
  return `${service}:${resource}`;
}

/** Reads a persisted state, tolerating older or partial shapes (fields default). */
export function reviveAlertState(raw: unknown, now: number): AlertState {
  const base = initialAlertState(now);
  if (typeof raw !== 'object' || raw === null) return base;
  const r = raw as Partial<AlertState>;
  const level = (v: unknown, d: Level): Level => (v === 'ok' || v === 'warning' || v === 'critical' ? v : d);
  const time = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return {
    level: level(r.level, base.level),
    since: time(r.since) ?? now,
    notifiedLevel: level(r.notifiedLevel, base.notifiedLevel),
    lastWarningAt: time(r.lastWarningAt),
    lastCriticalAt: time(r.lastCriticalAt),
    lastDatabaseAt: time(r.lastDatabaseAt),
    failures: typeof r.failures === 'number' ? r.failures : 0,
    successes: typeof r.successes === 'number' ? r.successes : 0,
  };
}
