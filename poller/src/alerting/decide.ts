/**
 * "Should we send?" as one pure function of (state, observed level, now,
 * policy) returning the new state and a reason (Alertmanager's needsUpdate,
 * as a table of rules; SPEC §5 "Alerting" with §8 "Revisions"):
 * - critical goes out at once on entering critical, even inside a warning's
 *   cooldown; while it stays critical, a reminder every `criticalRepeatMs`;
 * - a warning goes out at most once per `warningMs` per key;
 * - database alerts of any level at most once per `databaseMs` (an
 *   escalation to critical still goes out once: a critical never waits);
 * - back to ok after an alert was sent: one resolved, once the level has
 *   stayed ok for `resolveAfterMs`;
 * - more than `flapping.maxChanges` level changes within `flapping.windowMs`:
 *   one "flapping" notice, then nothing until the level has not changed for
 *   `flapping.stableForMs`, then one message with the current state;
 * - `no_data`: one notice, no reminders; when data returns, its level is
 *   announced (or "data is back" when it is ok).
 * Timestamps later than `now` (a clock corrected backwards) count as `now`.
 */
import type { AlertLevel, AlertTuning, Cooldowns } from '@chroma-monitor/shared';
import { clampToNow, type AlertState } from './alert-state.js';

export type DecisionReason =
  | 'first'
  | 'escalation'
  | 'reminder'
  | 'resolved'
  | 'flapping'
  | 'flapping_ended'
  | 'no_data'
  | 'data_returned'
  | 'suppressed_cooldown'
  | 'resolve_pending'
  | 'quiet_flapping'
  | 'unchanged';

export interface Decision {
  send: boolean;
  reason: DecisionReason;
}

/** `database` keys share the database cooldown; `resource` and `service` keys use the warning/critical ones. */
export type AlertKind = 'resource' | 'database' | 'service';

/** Everything `decide` needs from the config. */
export interface AlertPolicy {
  cooldowns: Cooldowns;
  /** Level ok for at least this long before "resolved" goes out. */
  resolveAfterMs: number;
  flapping: AlertTuning['flapping'];
}

/** The policy of a config: cooldowns plus its alert tuning. */
export function alertPolicy(config: { cooldowns: Cooldowns; alerting: AlertTuning }): AlertPolicy {
  return { cooldowns: config.cooldowns, resolveAfterMs: config.alerting.resolveAfterMs, flapping: config.alerting.flapping };
}

const elapsed = (since: number | null, now: number, period: number) => since === null || now - since >= period;

/** The state after observing `observed`: a change of level is dated and counted for flap detection. */
function observe(state: AlertState, observed: AlertLevel, now: number, policy: AlertPolicy): AlertState {
  const recent = state.changes.filter((at) => now - at < policy.flapping.windowMs);
  if (observed === state.level) return recent.length === state.changes.length ? state : { ...state, changes: recent };
  return { ...state, level: observed, since: now, changes: [...recent, now] };
}

function sent(state: AlertState, level: AlertLevel, now: number, kind: AlertKind): AlertState {
  return {
    ...state,
    notifiedLevel: level,
    ...(level === 'warning' ? { lastWarningAt: now } : {}),
    ...(level === 'critical' ? { lastCriticalAt: now } : {}),
    ...(kind === 'database' && (level === 'warning' || level === 'critical') ? { lastDatabaseAt: now } : {}),
  };
}

export function decide(
  previous: AlertState,
  observed: AlertLevel,
  now: number,
  policy: AlertPolicy,
  kind: AlertKind,
): { state: AlertState; decision: Decision } {
  const state = clampToNow(previous, now);
  const next = observe(state, observed, now, policy);
  const send = (level: AlertLevel, reason: DecisionReason, s: AlertState = next) => ({ state: sent(s, level, now, kind), decision: { send: true, reason } });
  const hold = (reason: DecisionReason, s: AlertState = next) => ({ state: s, decision: { send: false, reason } });
  const { cooldowns } = policy;

  // Flapping: quiet until stable, then one message with the state it settled in.
  if (next.flappingSince !== null) {
    if (!elapsed(next.since, now, policy.flapping.stableForMs)) return hold('quiet_flapping');
    return send(observed, 'flapping_ended', { ...next, flappingSince: null, changes: [] });
  }
  if (next.changes.length > policy.flapping.maxChanges && next !== state && next.level !== state.level) {
    // The notice changes no cooldown: what was last notified stays the reference for the closing message.
    return { state: { ...next, flappingSince: now }, decision: { send: true, reason: 'flapping' } };
  }

  if (observed === 'no_data') {
    return state.notifiedLevel === 'no_data' ? hold('unchanged') : send('no_data', 'no_data');
  }
  if (state.notifiedLevel === 'no_data') {
    // Data is back: say what it shows, whatever the cooldowns (the channel's last word was "no data").
    return send(observed, observed === 'ok' ? 'data_returned' : 'first');
  }

  if (observed === 'critical') {
    if (state.notifiedLevel !== 'critical') return send('critical', state.notifiedLevel === 'ok' ? 'first' : 'escalation');
    const repeatMs = kind === 'database' ? Math.max(cooldowns.criticalRepeatMs, cooldowns.databaseMs) : cooldowns.criticalRepeatMs;
    return elapsed(state.lastCriticalAt, now, repeatMs) ? send('critical', 'reminder') : hold('unchanged');
  }

  if (observed === 'warning') {
    // Down from critical: not a new alert, and not resolved yet; a new rise to critical must alert at once.
    // The warning cooldown starts here, as if warned: the drop is quiet, its reminder comes a cooldown later.
    if (state.notifiedLevel === 'critical') return hold('unchanged', { ...next, notifiedLevel: 'warning', lastWarningAt: now });
    const databaseQuiet = kind === 'database' && !elapsed(state.lastDatabaseAt, now, cooldowns.databaseMs);
    const quiet = databaseQuiet || !elapsed(state.lastWarningAt, now, cooldowns.warningMs);
    if (quiet) return hold(state.notifiedLevel === 'warning' ? 'unchanged' : 'suppressed_cooldown');
    return send('warning', state.notifiedLevel === 'warning' ? 'reminder' : 'first');
  }

  if (state.notifiedLevel !== 'ok') {
    return elapsed(next.since, now, policy.resolveAfterMs) ? send('ok', 'resolved') : hold('resolve_pending');
  }
  return hold('unchanged');
}

/** Scrapes that must fail in a row before "service down" fires. */
export const DOWN_AFTER_FAILURES = 3;

/** Counts a scrape outcome and decides the "service down" alert for it. */
export function decideServiceUp(state: AlertState, up: boolean, now: number, policy: AlertPolicy): { state: AlertState; decision: Decision } {
  // An up target that was already up keeps the very same state object: nothing to persist.
  const counted: AlertState = up
    ? state.failures === 0 && state.successes > 0
      ? state
      : { ...state, failures: 0, successes: 1 }
    : { ...state, failures: state.failures + 1, successes: 0 };
  const observed: AlertLevel = up ? 'ok' : counted.failures >= DOWN_AFTER_FAILURES ? 'critical' : counted.level === 'critical' ? 'critical' : 'ok';
  // A failed scrape never confirms a recovery: below the down threshold it reads "ok" only so that
  // one failure does not fire, so it decides nothing ("answering again", resolved or after a flap or
  // "no data", is said only on a scrape that answered). Without this, a target up for one scrape
  // between failures got "Service Recovered" resolve_after later, while failing again.
  if (!up && observed === 'ok') return { state: counted, decision: { send: false, reason: counted.notifiedLevel === 'ok' ? 'unchanged' : 'resolve_pending' } };
  return decide(counted, observed, now, policy, 'service');
}
