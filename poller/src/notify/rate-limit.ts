/**
 * Slack accepts about one message per second per incoming webhook
 * (https://api.slack.com/apis/rate-limits#incoming-webhooks): the dispatcher
 * asks this pure function when it may post next instead of sleeping.
 */

/** Slack's documented pace for one webhook. */
export const DEFAULT_MIN_INTERVAL_MS = 1_000;

/**
 * The earliest instant the next message may go out, on the same clock as
 * `lastSentAt` and `now` (ms): `now` when nothing was sent yet or the interval
 * has passed, else `lastSentAt + minIntervalMs`. A send time later than `now`
 * means that clock went back (a wall clock corrected): how long ago the last
 * send was is then unknown, and it counts as long ago — holding every message
 * until the clock catches up would silence Slack for the size of the
 * correction (SPEC §8 "Time"). The dispatcher passes a monotonic clock, where
 * this cannot happen; the rule keeps the function right for any clock.
 */
export function earliestNextSendAt(lastSentAt: number | null, now: number, minIntervalMs: number): number {
  if (lastSentAt === null || lastSentAt > now) return now;
  return Math.max(now, lastSentAt + Math.max(0, minIntervalMs));
}
