import { describe, expect, it } from 'vitest';
import { BASE_DELAY_MS, earliestNextSendAt, MAX_DELAY_MS, MAX_RETRY_AFTER_MS, parseRetryAfter, retryDelayMs } from '../src/notify/index.js';
import { stillWaiting } from '../src/notify/retry-delay.js';
import { OUTBOX_LONGEST_WAIT_MS } from '../src/store/outbox-repository.js';

describe('retryDelayMs: exponential from 1 s, factor 2, cap 5 min, equal jitter; Retry-After wins', () => {
  const noHeader = { retryAfterMs: null };
  it.each([
    { name: 'first retry, least jitter', attempt: 1, random: 0, expected: 500 },
    { name: 'first retry, most jitter', attempt: 1, random: 1, expected: 1_000 },
    { name: 'second retry doubles', attempt: 2, random: 1, expected: 2_000 },
    { name: 'third retry, half jitter', attempt: 3, random: 0.5, expected: 3_000 },
    { name: 'ninth retry, just under the cap', attempt: 9, random: 1, expected: 256_000 },
    { name: 'tenth retry reaches the cap', attempt: 10, random: 1, expected: MAX_DELAY_MS },
    { name: 'at the cap, least jitter', attempt: 10, random: 0, expected: MAX_DELAY_MS / 2 },
    { name: 'far past the cap stays capped', attempt: 20, random: 1, expected: MAX_DELAY_MS },
    { name: 'huge attempt numbers do not overflow', attempt: 10_000, random: 0, expected: MAX_DELAY_MS / 2 },
    { name: 'attempt 0 treated as the first', attempt: 0, random: 1, expected: BASE_DELAY_MS },
    { name: 'random above 1 is clamped', attempt: 1, random: 7, expected: 1_000 },
    { name: 'random NaN counts as no jitter reduction', attempt: 1, random: Number.NaN, expected: 1_000 },
  ])('$name: attempt $attempt, random $random → $expected ms', ({ attempt, random, expected }) => {
    expect(retryDelayMs(attempt, noHeader, () => random)).toBe(expected);
  });

  it.each([
    { name: 'Retry-After 2 s wins over a shorter backoff', retryAfterMs: 2_000, attempt: 1, expected: 2_000 },
    { name: 'Retry-After 1 s wins over a longer backoff', retryAfterMs: 1_000, attempt: 12, expected: 1_000 },
    { name: 'Retry-After 0 retries at once', retryAfterMs: 0, attempt: 5, expected: 0 },
    { name: 'Retry-After capped at an hour', retryAfterMs: 10 * 3_600_000, attempt: 1, expected: MAX_RETRY_AFTER_MS },
    { name: 'negative Retry-After (a date in the past) is 0', retryAfterMs: -5_000, attempt: 1, expected: 0 },
  ])('$name', ({ retryAfterMs, attempt, expected }) => {
    expect(retryDelayMs(attempt, { retryAfterMs }, () => 0.5)).toBe(expected);
  });
});

describe('earliestNextSendAt: at most one message per interval', () => {
  it.each([
    { name: 'nothing sent yet: now', lastSentAt: null, now: 5_000, min: 1_000, expected: 5_000 },
    { name: 'just sent: one interval later', lastSentAt: 5_000, now: 5_000, min: 1_000, expected: 6_000 },
    { name: '1 ms before the interval ends', lastSentAt: 5_000, now: 5_999, min: 1_000, expected: 6_000 },
    { name: 'exactly at the boundary: now', lastSentAt: 5_000, now: 6_000, min: 1_000, expected: 6_000 },
    { name: 'long after: now', lastSentAt: 5_000, now: 60_000, min: 1_000, expected: 60_000 },
    { name: 'no limit', lastSentAt: 5_000, now: 5_001, min: 0, expected: 5_001 },
    { name: 'a negative interval means no limit', lastSentAt: 5_000, now: 5_001, min: -10, expected: 5_001 },
    { name: 'the clock went back a day: now (how long ago the last send was is unknown), never held until the clock catches up', lastSentAt: 86_405_000, now: 5_000, min: 1_000, expected: 5_000 },
    { name: 'the clock went back 90 s: now', lastSentAt: 95_000, now: 5_000, min: 1_000, expected: 5_000 },
  ])('$name', ({ lastSentAt, now, min, expected }) => {
    expect(earliestNextSendAt(lastSentAt, now, min)).toBe(expected);
  });
});

describe('parseRetryAfter: seconds or an HTTP date', () => {
  const now = Date.UTC(2026, 10, 24, 10, 0, 0);
  it.each([
    { name: 'absent', header: undefined, expected: null },
    { name: 'seconds', header: '2', expected: 2_000 },
    { name: 'seconds with spaces', header: ' 30 ', expected: 30_000 },
    { name: 'HTTP date 90 s ahead', header: 'Tue, 24 Nov 2026 10:01:30 GMT', expected: 90_000 },
    { name: 'HTTP date in the past', header: 'Tue, 24 Nov 2026 09:00:00 GMT', expected: 0 },
    { name: 'garbage', header: 'soon', expected: null },
    { name: 'fault 2: negative seconds are not seconds (not a date in 2001)', header: '-1', expected: null },
    { name: 'fault 2: fractional seconds are not allowed (not a date in 2001)', header: '1.5', expected: null },
    { name: 'fault 2: a number with a sign is not seconds', header: '+5', expected: null },
    { name: 'fault 2: a day name followed by junk is not a date', header: 'Mon, 1.5', expected: null },
    { name: 'RFC 850 date', header: 'Tuesday, 24-Nov-26 10:00:20 GMT', expected: 20_000 },
    { name: 'obsolete asctime date', header: 'Tue Nov 24 10:00:10 2026', expected: 10_000 },
  ])('$name → $expected', ({ header, expected }) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});

describe('fault (breaker): a wait set while the clock was ahead counts as over', () => {
  const T = Date.parse('2026-11-24T10:00:00Z');
  it.each([
    { name: 'due now', at: T, waits: false },
    { name: 'a 5-minute back-off', at: T + MAX_DELAY_MS, waits: true },
    { name: 'the longest Retry-After', at: T + MAX_RETRY_AFTER_MS, waits: true },
    { name: 'a day ahead (the clock was ahead, then corrected)', at: T + 86_400_000, waits: false },
  ])('$name → waits: $waits', ({ at, waits }) => {
    expect(stillWaiting(at, T)).toBe(waits);
  });

  it('the store and the dispatcher agree on the longest wait', () => {
    expect(OUTBOX_LONGEST_WAIT_MS).toBe(MAX_RETRY_AFTER_MS);
    expect(MAX_DELAY_MS).toBeLessThanOrEqual(MAX_RETRY_AFTER_MS);
  });
});
