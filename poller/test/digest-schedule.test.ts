import { describe, expect, it } from 'vitest';
import { digestDue, latestSlot, parseDigestSchedule } from '../src/report/index.js';

const DAY = 86_400_000;
const weekly = (() => {
  const r = parseDigestSchedule(7 * DAY, 'Mon 09:00');
  if (!r.ok) throw new Error(r.problem);
  return r.schedule;
})();
const at = (iso: string) => Date.parse(iso);

describe('digest schedule', () => {
  it.each([
    { now: '2026-11-30T09:00:00Z', slot: '2026-11-30T09:00:00.000Z', why: 'Monday 09:00 exactly' },
    { now: '2026-11-30T08:59:59Z', slot: '2026-11-23T09:00:00.000Z', why: 'a second before: the previous Monday' },
    { now: '2026-12-03T12:00:00Z', slot: '2026-11-30T09:00:00.000Z', why: 'Thursday: this week\'s Monday' },
  ])('latest slot of "Mon 09:00" every 7d at $now ($why)', ({ now, slot }) => {
    expect(new Date(latestSlot(weekly, at(now))).toISOString()).toBe(slot);
  });

  it('a daily "09:00" slot', () => {
    const r = parseDigestSchedule(DAY, '09:00');
    expect(r.ok && new Date(latestSlot(r.schedule, at('2026-11-29T10:00:00Z'))).toISOString()).toBe('2026-11-29T09:00:00.000Z');
  });

  it('a first start records the latest slot without sending; the next slot is sent once', () => {
    const first = digestDue(weekly, null, at('2026-11-29T10:00:00Z'));
    expect(first).toEqual({ send: false, slot: at('2026-11-23T09:00:00Z'), reason: 'first_start' });
    expect(digestDue(weekly, first.slot, at('2026-11-30T08:59:00Z')).send).toBe(false);
    const due = digestDue(weekly, first.slot, at('2026-11-30T09:00:30Z'));
    expect(due).toEqual({ send: true, slot: at('2026-11-30T09:00:00Z') });
  });

  it('across a restart: the recorded slot is not repeated; a slot missed while down is sent once, not once per missed week', () => {
    const sentSlot = at('2026-11-30T09:00:00Z');
    expect(digestDue(weekly, sentSlot, at('2026-11-30T09:05:00Z'))).toEqual({ send: false, slot: sentSlot, reason: 'already_sent' });
    const afterThreeWeeksDown = digestDue(weekly, sentSlot, at('2026-12-22T10:00:00Z'));
    expect(afterThreeWeeksDown).toEqual({ send: true, slot: at('2026-12-21T09:00:00Z') });
    expect(digestDue(weekly, afterThreeWeeksDown.slot, at('2026-12-22T10:01:00Z')).send).toBe(false);
  });

  it('a clock gone back a day never repeats a digest', () => {
    const sentSlot = at('2026-11-30T09:00:00Z');
    expect(digestDue(weekly, sentSlot, at('2026-11-29T09:30:00Z'))).toEqual({ send: false, slot: sentSlot, reason: 'already_sent' });
  });

  it.each([
    { every: 7 * DAY, at: 'Monday 9am', problem: 'at: must be "HH:MM" or "Ddd HH:MM" in UTC (e.g. "Mon 09:00"), got "Monday 9am"' },
    { every: 3 * DAY, at: 'Mon 09:00', problem: 'every: must be a whole number of weeks when at names a weekday' },
    { every: 36 * 3_600_000, at: '09:00', problem: 'every: must be a whole number of days (1d, 7d, 14d…)' },
  ])('refuses every=$every at=$at', ({ every, at: text, problem }) => {
    expect(parseDigestSchedule(every, text)).toEqual({ ok: false, problem });
  });
});
