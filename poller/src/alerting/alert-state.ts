/**
 * What is remembered per alert key (`service:resource`) between checks and
 * across restarts (persisted as JSON): the level in effect, what was last
 * notified, when each kind of message went out, the recent level changes
 * (flap detection), data presence ("no data") and consecutive scrape
 * outcomes ("service down").
 */
import { isAlertLevel, type AlertLevel } from '@chroma-monitor/shared';

export interface AlertState {
  /** Level in effect (after hysteresis), or `no_data`. */
  level: AlertLevel;
  /** When `level` began (epoch ms). */
  since: number;
  /** Level of the last message sent in the current episode; 'ok' when nothing is active. */
  notifiedLevel: AlertLevel;
  lastWarningAt: number | null;
  lastCriticalAt: number | null;
  /** Last database alert of any level (the database cooldown, shared by every database key of a service). */
  lastDatabaseAt: number | null;
  /** Epoch ms of each level change within the flapping window, oldest first. */
  changes: number[];
  /** When the key was found flapping; null when it is not. */
  flappingSince: number | null;
  /** True once the key's series has had a value: only such a key can go to `no_data`. */
  hasData: boolean;
  /** Consecutive successful scrapes without the key's series. */
  missing: number;
  /** Consecutive failed and successful scrapes (service keys only). */
  failures: number;
  successes: number;
}

export function initialAlertState(now: number): AlertState {
  return {
    level: 'ok',
    since: now,
    notifiedLevel: 'ok',
    lastWarningAt: null,
    lastCriticalAt: null,
    lastDatabaseAt: null,
    changes: [],
    flappingSince: null,
    hasData: false,
    missing: 0,
    failures: 0,
    successes: 0,
  };
}

/** Key of an alert: one per service and resource (`service` for down/up). */
export function alertKey(service: string, resource: string): string {
  return `${service}:${resource}`;
}

/** The service part of a key made by `alertKey`. */
export function serviceOfKey(key: string): string {
  const colon = key.lastIndexOf(':');
  return colon === -1 ? key : key.slice(0, colon);
}

/**
 * A persisted timestamp never lies in the future: a state written while the
 * clock was ahead (then corrected) would otherwise hold every cooldown for
 * the size of the error plus the cooldown (SPEC §8 "Time").
 */
const notAfter = (at: number, now: number) => Math.min(at, now);

/** The state with every timestamp later than `now` moved to `now`. */
export function clampToNow(state: AlertState, now: number): AlertState {
  const late = (at: number | null) => at !== null && at > now;
  if (
    !late(state.since) && !late(state.lastWarningAt) && !late(state.lastCriticalAt) && !late(state.lastDatabaseAt) &&
    !late(state.flappingSince) && !state.changes.some((at) => at > now)
  ) {
    return state;
  }
  const clamp = (at: number | null) => (at === null ? null : notAfter(at, now));
  return {
    ...state,
    since: notAfter(state.since, now),
    lastWarningAt: clamp(state.lastWarningAt),
    lastCriticalAt: clamp(state.lastCriticalAt),
    lastDatabaseAt: clamp(state.lastDatabaseAt),
    flappingSince: clamp(state.flappingSince),
    changes: state.changes.map((at) => notAfter(at, now)),
  };
}

/** Reads a persisted state, tolerating older or partial shapes (fields default) and future timestamps. */
export function reviveAlertState(raw: unknown, now: number): AlertState {
  const base = initialAlertState(now);
  if (typeof raw !== 'object' || raw === null) return base;
  const r = raw as Partial<Record<keyof AlertState, unknown>>;
  const level = (v: unknown, d: AlertLevel): AlertLevel => (isAlertLevel(v) ? v : d);
  const time = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const count = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);
  const revived: AlertState = {
    level: level(r.level, base.level),
    since: time(r.since) ?? now,
    notifiedLevel: level(r.notifiedLevel, base.notifiedLevel),
    lastWarningAt: time(r.lastWarningAt),
    lastCriticalAt: time(r.lastCriticalAt),
    lastDatabaseAt: time(r.lastDatabaseAt),
    changes: Array.isArray(r.changes) ? r.changes.flatMap((at) => (time(at) === null ? [] : [at as number])) : [],
    flappingSince: time(r.flappingSince),
    // States written before "no data" existed had data if they ever left ok.
    hasData: typeof r.hasData === 'boolean' ? r.hasData : level(r.level, 'ok') !== 'ok',
    missing: count(r.missing),
    failures: count(r.failures),
    successes: count(r.successes),
  };
  return clampToNow(revived, now);
}
