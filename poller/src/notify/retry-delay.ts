/**
 * Delay before the next attempt, as a pure function of the attempt number,
 * the failure and a random source (got's calculate-retry-delay, in spirit).
 * Exponential from 1 s, factor 2, capped at 5 minutes, with "equal jitter"
 * (half fixed, half random) so retries from many pollers spread out but
 * never collapse to zero. A Retry-After from Slack wins, capped at an hour.
 */
import type { SendResult } from './send-result.js';

export const BASE_DELAY_MS = 1_000;
export const MAX_DELAY_MS = 5 * 60_000;
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

export function retryDelayMs(attempt: number, result: Extract<SendResult, { ok: false }>, random: () => number): number {
  if (result.retryAfterMs !== null) return Math.min(Math.max(result.retryAfterMs, 0), MAX_RETRY_AFTER_MS);
  const exponential = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + (exponential / 2) * random());
}

/** Earliest time the next message may go to this webhook: at most one per `minIntervalMs`. */
export function nextSendAllowedAt(lastSentAt: number | null, minIntervalMs: number): number {
  return lastSentAt === null ? 0 : lastSentAt + minIntervalMs;
}
