/**
 * Delay before the next attempt, as a pure function of the attempt number,
 * the failure and a random source (got's calculate-retry-delay, in spirit).
 *
 * Exponential from 1 s, factor 2, capped at 5 minutes, with *equal jitter*:
 * half the delay is fixed, half random. Full jitter (0..delay) would spread
 * retries more but can retry at once, hammering a Slack that just failed;
 * equal jitter keeps at least half the backoff. A Retry-After from Slack
 * wins over the backoff, capped at an hour so a bogus header cannot park an
 * alert for a day.
 */
import type { SendFailure } from './send-result.js';

export const BASE_DELAY_MS = 1_000;
export const MAX_DELAY_MS = 5 * 60_000;
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

/**
 * Milliseconds to wait before attempt `attempt + 1`, after attempt number
 * `attempt` (1-based) failed with `result`. `random` returns [0, 1].
 */
export function retryDelayMs(attempt: number, result: Pick<SendFailure, 'retryAfterMs'>, random: () => number): number {
  if (result.retryAfterMs !== null && Number.isFinite(result.retryAfterMs)) {
    return Math.min(Math.max(result.retryAfterMs, 0), MAX_RETRY_AFTER_MS);
  }
  const exponent = Math.min(Math.max(0, Math.floor(attempt) - 1), 30); // 2^30 s is far past the cap; avoids Infinity
  const exponential = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** exponent);
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(exponential / 2 + (exponential / 2) * (Number.isNaN(r) ? 1 : r));
}

/**
 * Whether a message whose next attempt is at `at` (epoch ms) still waits at
 * `now`. A wait longer than any this module schedules was set by a clock
 * that was ahead (then corrected): it counts as now, so it neither stalls
 * the message nor, in strict order, every message behind it (SPEC §8 "Time").
 */
export function stillWaiting(at: number, now: number): boolean {
  return at > now && at - now <= MAX_RETRY_AFTER_MS;
}
