/**
 * "Should we send?" as one pure function of (state, observed level, now,
 * cooldowns) returning the new state and a reason (Alertmanager's
 * needsUpdate, as a table of rules):
 * - critical goes out at once on entering critical, even inside a warning's
 *   cooldown; while it stays critical, a reminder every `criticalRepeatMs`;
 * - a warning goes out at most once per `warningMs` per key;
 * - database alerts of any level at most once per `databaseMs` (an
 *   escalation to critical still goes out once: a critical never waits);
 * - back to ok after an alert was sent: exactly one resolved.
 */
import type { Cooldowns, Level } from '@chroma-monitor/shared';
import type { AlertState } from './alert-state.js';

export type DecisionReason = 'first' | 'escalation' | 'reminder' | 'resolved' | 'suppressed_cooldown' | 'unchanged';

export interface Decision {
  send: boolean;
  reason: DecisionReason;
}

/** `database` keys share the database cooldown; `resource` and `service` keys use the warning/critical ones. */
export type AlertKind = 'resource' | 'database' | 'service';

const elapsed = (since: number | null, now: number, period: number) => since === null || now - since >= period;

function withLevel(state: AlertState, observed: Level, now: number): AlertState {
  return observed === state.level ? state : { ...state, level: observed, since: now };
}

function sent(state: AlertState, level: Level, now: number, kind: AlertKind): AlertState {
  return {
    ...state,
    notifiedLevel: level,
    ...(level === 'warning' ? { lastWarningAt: now } : {}),
    ...(level === 'critical' ? { lastCriticalAt: now } : {}),
    ...(kind === 'database' && level !== 'ok' ? { lastDatabaseAt: now } : {}),
  };
}

export function decide(state: AlertState, observed: Level, now: number, cooldowns: Cooldowns, kind: AlertKind): { state: AlertState; decision: Decision } {
  const next = withLevel(state, observed, now);
  const send = (level: Level, reason: DecisionReason) => ({ state: sent(next, level, now, kind), decision: { send: true, reason } });
  const hold = (reason: DecisionReason, s: AlertState = next) => ({ state: s, decision: { send: false, reason } });
  const databaseQuiet = kind === 'database' && !elapsed(state.lastDatabaseAt, now, cooldowns.databaseMs);

  if (observed === 'critical') {
    if (state.notifiedLevel !== 'critical') return send('critical', state.notifiedLevel === 'ok' ? 'first' : 'escalation');
    const repeatMs = kind === 'database' ? Math.max(cooldowns.criticalRepeatMs, cooldowns.databaseMs) : cooldowns.criticalRepeatMs;
    return elapsed(state.lastCriticalAt, now, repeatMs) ? send('critical', 'reminder') : hold('unchanged');
  }

  if (observed === 'warning') {
    // Down from critical: not a new alert, and not resolved yet; a new rise to critical must alert at once.
    if (state.notifiedLevel === 'critical') return hold('unchanged', { ...next, notifiedLevel: 'warning' });
    const quiet = databaseQuiet || !elapsed(state.lastWarningAt, now, cooldowns.warningMs);
    if (quiet) return hold(state.notifiedLevel === 'warning' ? 'unchanged' : 'suppressed_cooldown');
    return send('warning', state.notifiedLevel === 'warning' ? 'reminder' : 'first');
  }

  if (state.notifiedLevel !== 'ok') return send('ok', 'resolved');
  return hold('unchanged');
}

/** Scrapes that must fail in a row before "service down" fires. */
export const DOWN_AFTER_FAILURES = 3;

/** Counts a scrape outcome and decides the "service down" alert for it. */
export function decideServiceUp(state: AlertState, up: boolean, now: number, cooldowns: Cooldowns): { state: AlertState; decision: Decision } {
  // An up target that was already up keeps the very same state object: nothing to persist.
  const counted: AlertState = up
    ? state.failures === 0 && state.successes > 0
      ? state
      : { ...state, failures: 0, successes: 1 }
    : { ...state, failures: state.failures + 1, successes: 0 };
  const observed: Level = up ? 'ok' : counted.failures >= DOWN_AFTER_FAILURES ? 'critical' : counted.level === 'critical' ? 'critical' : 'ok';
  return decide(counted, observed, now, cooldowns, 'service');
}
