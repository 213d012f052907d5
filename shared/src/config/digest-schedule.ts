/**
 * When the scheduled capacity digest is due (config `digest: { every, at }`).
 * Slots are fixed wall-clock times in UTC: `at: "Mon 09:00"` with `every: 7d`
 * is every Monday at 09:00 UTC; `at: "09:00"` with `every: 1d` every day.
 * The last slot sent is persisted, so a restart neither repeats a digest
 * (its slot is already recorded) nor skips one (a slot that passed while the
 * poller was down is sent when it starts, once, however many passed). A
 * first start records the latest slot without sending: the first digest is
 * the next one. Pure: `now` in, a decision out.
 */

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
/** 1970-01-01 was a Thursday: weekly slots are counted from the Sunday before it. */
const EPOCH_SUNDAY = -4 * DAY_MS;

export interface DigestSchedule {
  /** Period in ms: whole days; a multiple of 7 days when `at` names a weekday. */
  everyMs: number;
  /** Offset of the slot in its day (ms after 00:00 UTC). */
  timeOfDayMs: number;
  /** 0 (Sun) … 6 (Sat), or null for "every day at this time". */
  weekday: number | null;
}

/**
 * Parses `at` ("Mon 09:00" or "09:00", 24-hour UTC) and checks `everyMs`
 * against it. Returns the schedule or a problem message for the config path.
 */
export function parseDigestSchedule(everyMs: number, at: string): { ok: true; schedule: DigestSchedule } | { ok: false; problem: string } {
  const match = /^(?:(Sun|Mon|Tue|Wed|Thu|Fri|Sat) )?([01]\d|2[0-3]):([0-5]\d)$/.exec(at.trim());
  if (!match) return { ok: false, problem: `at: must be "HH:MM" or "Ddd HH:MM" in UTC (e.g. "Mon 09:00"), got "${at}"` };
  const weekday = match[1] ? WEEKDAYS.indexOf(match[1] as (typeof WEEKDAYS)[number]) : null;
  if (!(everyMs > 0) || everyMs % DAY_MS !== 0) return { ok: false, problem: 'every: must be a whole number of days (1d, 7d, 14d…)' };
  if (weekday !== null && everyMs % WEEK_MS !== 0) return { ok: false, problem: 'every: must be a whole number of weeks when at names a weekday' };
  return { ok: true, schedule: { everyMs, timeOfDayMs: (Number(match[2]) * 60 + Number(match[3])) * 60_000, weekday } };
}

/** The latest slot at or before `now` (epoch ms). */
export function latestSlot(schedule: DigestSchedule, now: number): number {
  const anchor = schedule.weekday === null ? schedule.timeOfDayMs : EPOCH_SUNDAY + schedule.weekday * DAY_MS + schedule.timeOfDayMs;
  return anchor + Math.floor((now - anchor) / schedule.everyMs) * schedule.everyMs;
}

export type DigestDecision =
  | { send: true; slot: number }
  | { send: false; slot: number; reason: 'first_start' | 'already_sent' };

/** Whether to send now, given the last slot recorded (null before the first start). */
export function digestDue(schedule: DigestSchedule, lastSlot: number | null, now: number): DigestDecision {
  const slot = latestSlot(schedule, now);
  if (lastSlot === null) return { send: false, slot, reason: 'first_start' };
  // A recorded slot later than the latest one (the clock went back) counts as sent: never a repeat.
  if (slot <= lastSlot) return { send: false, slot: lastSlot, reason: 'already_sent' };
  return { send: true, slot };
}
