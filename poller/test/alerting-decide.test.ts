import { describe, expect, it } from 'vitest';
import type { Cooldowns, Level } from '@chroma-monitor/shared';
import { decide, decideServiceUp, initialAlertState, levelFor, reviveAlertState, type AlertKind, type AlertPolicy, type AlertState } from '../src/alerting/index.js';

const H = 3_600_000;
const T = Date.parse('2026-11-24T00:00:00Z');
const COOLDOWNS: Cooldowns = { warningMs: 6 * H, criticalRepeatMs: H, databaseMs: 24 * H };
/** The cooldown rules alone: resolve at once, flap detection out of the way (their own tables are in alerting-damping.test.ts). */
const POLICY: AlertPolicy = { cooldowns: COOLDOWNS, resolveAfterMs: 0, flapping: { maxChanges: 1000, windowMs: 10 * 60_000, stableForMs: 10 * 60_000 } };

describe('levelFor', () => {
  const th = { warning: 80, critical: 95 };
  it.each([
    { name: 'below warning', value: 79.9, previous: 'ok', expected: 'ok' },
    { name: 'at warning (>=)', value: 80, previous: 'ok', expected: 'warning' },
    { name: 'at critical (>=)', value: 95, previous: 'ok', expected: 'critical' },
    { name: 'hovering just under warning stays warning', value: 79, previous: 'warning', expected: 'warning' },
    { name: 'below the hysteresis band resolves', value: 75.9, previous: 'warning', expected: 'ok' },
    { name: 'just under critical stays critical', value: 94, previous: 'critical', expected: 'critical' },
    { name: 'critical falls to warning below its band', value: 90, previous: 'critical', expected: 'warning' },
    { name: 'critical falls straight to ok', value: 10, previous: 'critical', expected: 'ok' },
    { name: 'NaN keeps the level (neither fires nor resolves)', value: Number.NaN, previous: 'warning', expected: 'warning' },
    { name: '+Inf keeps the level', value: Number.POSITIVE_INFINITY, previous: 'ok', expected: 'ok' },
    { name: 'no value keeps the level', value: null, previous: 'critical', expected: 'critical' },
  ])('$name', ({ value, previous, expected }) => {
    expect(levelFor(value, th, previous as Level)).toBe(expected);
  });
});

/** Runs a sequence of (time offset, observed level) and returns the reason at each step. */
function run(steps: Array<[number, Level]>, kind: AlertKind = 'resource', start: AlertState = initialAlertState(T)) {
  let state = start;
  return steps.map(([at, level]) => {
    const result = decide(state, level, T + at, POLICY, kind);
    state = result.state;
    return result.decision.send ? result.decision.reason : `(${result.decision.reason})`;
  });
}

describe('decide', () => {
  it.each([
    { name: 'first warning is sent', steps: [[0, 'warning']], expected: ['first'] },
    { name: 'no second warning before 6h', steps: [[0, 'warning'], [6 * H - 1, 'warning']], expected: ['first', '(unchanged)'] },
    { name: 'warning reminder at exactly 6h', steps: [[0, 'warning'], [6 * H - 1, 'warning'], [6 * H, 'warning']], expected: ['first', '(unchanged)', 'reminder'] },
    { name: 'critical at once inside a warning cooldown', steps: [[0, 'warning'], [60_000, 'critical']], expected: ['first', 'escalation'] },
    { name: 'critical reminder every hour, not before', steps: [[0, 'critical'], [H - 1, 'critical'], [H, 'critical']], expected: ['first', '(unchanged)', 'reminder'] },
    { name: 'one resolved when back to ok', steps: [[0, 'critical'], [60_000, 'ok'], [120_000, 'ok']], expected: ['first', 'resolved', '(unchanged)'] },
    { name: 'a warning after a resolve waits for the cooldown', steps: [[0, 'warning'], [H, 'ok'], [2 * H, 'warning'], [6 * H, 'warning']], expected: ['first', 'resolved', '(suppressed_cooldown)', 'first'] },
    { name: 'no resolved for an episode that was never notified', steps: [[0, 'warning'], [H, 'ok'], [2 * H, 'warning'], [3 * H, 'ok']], expected: ['first', 'resolved', '(suppressed_cooldown)', '(unchanged)'] },
    { name: 'critical to warning is quiet; back up is sent at once', steps: [[0, 'critical'], [60_000, 'warning'], [120_000, 'critical']], expected: ['first', '(unchanged)', 'escalation'] },
  ] as Array<{ name: string; steps: Array<[number, Level]>; expected: string[] }>)('$name', ({ steps, expected }) => {
    expect(run(steps)).toEqual(expected);
  });

  it('critical_repeat 0 reminds at every check', () => {
    let state = initialAlertState(T);
    const reasons = [0, 30_000, 60_000].map((at) => {
      const r = decide(state, 'critical', T + at, { ...POLICY, cooldowns: { ...COOLDOWNS, criticalRepeatMs: 0 } }, 'resource');
      state = r.state;
      return r.decision.reason;
    });
    expect(reasons).toEqual(['first', 'reminder', 'reminder']);
  });

  it.each([
    { name: 'database warning at most once a day', steps: [[0, 'warning'], [H, 'ok'], [2 * H, 'warning'], [24 * H - 1, 'warning'], [24 * H, 'warning']], expected: ['first', 'resolved', '(suppressed_cooldown)', '(suppressed_cooldown)', 'first'] },
    { name: 'database escalation to critical still goes out once', steps: [[0, 'warning'], [H, 'critical'], [2 * H, 'critical'], [24 * H + H, 'critical']], expected: ['first', 'escalation', '(unchanged)', 'reminder'] },
  ] as Array<{ name: string; steps: Array<[number, Level]>; expected: string[] }>)('$name', ({ steps, expected }) => {
    expect(run(steps, 'database')).toEqual(expected);
  });

  it('survives a JSON round trip (restart) without re-sending', () => {
    const first = decide(initialAlertState(T), 'warning', T, POLICY, 'resource');
    const revived = reviveAlertState(JSON.parse(JSON.stringify(first.state)), T + H);
    expect(decide(revived, 'warning', T + H, POLICY, 'resource').decision).toEqual({ send: false, reason: 'unchanged' });
  });
});

describe('service down', () => {
  it('fires on the third failure in a row, once, and resolves on the first success', () => {
    let state = initialAlertState(T);
    const outcomes = [false, false, false, false, true, true].map((up, i) => {
      const r = decideServiceUp(state, up, T + i * 30_000, POLICY);
      state = r.state;
      return r.decision.send ? r.decision.reason : '-';
    });
    expect(outcomes).toEqual(['-', '-', 'first', '-', 'resolved', '-']);
  });

  it('a target flapping up/down every cycle never fires', () => {
    let state = initialAlertState(T);
    const sent = Array.from({ length: 20 }, (_, i) => {
      const r = decideServiceUp(state, i % 2 === 0, T + i * 30_000, POLICY);
      state = r.state;
      return r.decision.send;
    });
    expect(sent.every((s) => !s)).toBe(true);
  });
});
