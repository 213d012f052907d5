/**
 * Slack accepts about one message per second per incoming webhook
 * (https://api.slack.com/apis/rate-limits#incoming-webhooks): the dispatcher
 * asks this pure function when it may post next instead of sleeping.
 */

/** Slack's documented pace for one webhook. */
export const DEFAULT_MIN_INTERVAL_MS = 1_000;

/**
 * The earliest instant (epoch ms) the next message may go out: `now` when
 * nothing was sent yet or the interval has passed, else `lastSentAt + minIntervalMs`.
 */
export function earliestNextSendAt(lastSentAt: number | null, now: number, minIntervalMs: number): number {
  if (lastSentAt === null) return now;
  // A send time later than now (the wall clock went back) counts as now: a correction never holds messages back.
  return Math.max(now, Math.min(lastSentAt, now) + Math.max(0, minIntervalMs));
}
