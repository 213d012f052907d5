import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '@chroma-monitor/shared';
import { ScrapeScheduler, scheduleOffsets, serviceHash } from '../src/scrape/index.js';

const targets = Array.from({ length: 20 }, (_, i) => ({ service: `svc-${i}` }));

/** Smallest distance between any two offsets, ms. */
function minGap(offsets: Iterable<number>): number {
  const sorted = [...offsets].sort((a, b) => a - b);
  let gap = Infinity;
  for (let i = 1; i < sorted.length; i++) gap = Math.min(gap, sorted[i]! - sorted[i - 1]!);
  return gap;
}

describe('scheduleOffsets (issue 15: spread)', () => {
  const services = targets.map((t) => t.service);

  it('puts no two of svc-1 … svc-20 closer than interval/40, over a 20 s interval less a 10 s timeout', () => {
    const offsets = scheduleOffsets(services, 20_000 - 10_000);
    expect(offsets.size).toBe(20);
    expect(minGap(offsets.values())).toBeGreaterThanOrEqual(20_000 / 40);
    for (const offset of offsets.values()) {
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset).toBeLessThan(10_000);
    }
  });

  it('gives each target the same offset after a restart, whatever the order of the list', () => {
    const first = scheduleOffsets(services, 10_000);
    const restarted = scheduleOffsets([...services].reverse(), 10_000);
    expect([...restarted.entries()].sort()).toEqual([...first.entries()].sort());
  });

  it('moves the others by at most spread/n when a target is added', () => {
    const before = scheduleOffsets(services, 10_000);
    const after = scheduleOffsets([...services, 'svc-20'], 10_000);
    for (const service of services) expect(Math.abs(after.get(service)! - before.get(service)!)).toBeLessThanOrEqual(10_000 / 20);
  });

  it('is 0 for every target without a spread', () => {
    expect([...scheduleOffsets(services, 0).values()].every((o) => o === 0)).toBe(true);
  });

  it('orders by the finalized hash: names differing in their last character hash far apart', () => {
    const hashes = services.map(serviceHash);
    expect(new Set(hashes.map((h) => h >>> 28)).size).toBeGreaterThan(8); // spread over the top 4 bits
  });
});

describe('ScrapeScheduler (fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-11-24T10:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function make(runTarget: (t: { service: string }, signal: AbortSignal) => Promise<string>, options: { concurrency?: number } = {}) {
    const cycles: Array<{ index: number; startedAt: number; results: Map<string, string> }> = [];
    const errors: string[] = [];
    const scheduler = new ScrapeScheduler({
      targets,
      intervalMs: 30_000,
      timeoutMs: 10_000,
      concurrency: options.concurrency ?? 16,
      clock: systemClock,
      runTarget,
      onCycleComplete: (results, cycle) => void cycles.push({ index: cycle.index, startedAt: cycle.startedAt, results }),
      onLoopError: (message) => void errors.push(message),
    });
    return { scheduler, cycles, errors };
  }

  it('starts a cycle every interval and scrapes every target at its offset', async () => {
    const started: Array<{ service: string; at: number }> = [];
    const { scheduler, cycles } = make(async (t) => {
      started.push({ service: t.service, at: Date.now() });
      return 'ok';
    });
    const t0 = Date.now();
    scheduler.start();
    await vi.advanceTimersByTimeAsync(95_000);
    await scheduler.stop({ drainMs: 0 });
    // The cycle under way at stop() completes with the scrapes it had started.
    expect(cycles.map((c) => c.startedAt - t0)).toEqual([0, 30_000, 60_000, 90_000]);
    expect(cycles[0]!.results.size).toBe(20);
    const offsets = scheduleOffsets(targets.map((t) => t.service), 20_000);
    const firstCycle = started.filter((s) => s.at < t0 + 30_000);
    expect(firstCycle).toHaveLength(20);
    for (const { service, at } of firstCycle) {
      expect(Math.abs(at - t0 - offsets.get(service)!)).toBeLessThan(2);
    }
    expect(minGap(firstCycle.map((s) => s.at))).toBeGreaterThanOrEqual(30_000 / 40);
  });

  it('skips and counts a tick while the previous cycle still runs', async () => {
    const { scheduler, cycles } = make(() => new Promise((resolve) => setTimeout(() => resolve('slow'), 25_000)));
    scheduler.start();
    await vi.advanceTimersByTimeAsync(61_000);
    expect(scheduler.stats().skippedCycles).toBe(1);
    expect(cycles).toHaveLength(1);
    const stopping = scheduler.stop({ drainMs: 0 });
    await vi.advanceTimersByTimeAsync(30_000);
    await stopping;
  });

  it('caps scrapes in flight at the concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    const { scheduler } = make(
      () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        return new Promise((resolve) =>
          setTimeout(() => {
            inFlight--;
            resolve('ok');
          }, 25_000),
        );
      },
      { concurrency: 3 },
    );
    scheduler.start();
    await vi.advanceTimersByTimeAsync(29_000);
    expect(peak).toBe(3);
    const stopping = scheduler.stop({ drainMs: 0 });
    await vi.advanceTimersByTimeAsync(30_000);
    await stopping;
  });

  it('gives each scrape its own abort signal, so client listeners cannot pile up (a leak in soak runs)', async () => {
    const signals: AbortSignal[] = [];
    const { scheduler } = make(async (_t, signal) => {
      signal.addEventListener('abort', () => undefined); // what an HTTP client does per request
      signals.push(signal);
      return 'ok';
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(95_000);
    await scheduler.stop({ drainMs: 0 });
    expect(signals.length).toBeGreaterThanOrEqual(60);
    expect(new Set(signals).size).toBe(signals.length);
    expect(getEventListeners(signals[0]!, 'abort')).toHaveLength(1);
  });

  it('records a throwing target and goes on with the others', async () => {
    const { scheduler, cycles, errors } = make(async (t) => {
      if (t.service === 'svc-3') throw new Error('kaboom');
      return 'ok';
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(25_000);
    await scheduler.stop();
    expect(cycles[0]!.results.size).toBe(19);
    expect(errors).toContain('scrape of svc-3 threw: kaboom');
  });

  it('stop() lets the cycle drain, then aborts in-flight scrapes after drainMs', async () => {
    let aborted = 0;
    const scheduler = new ScrapeScheduler({
      targets: [{ service: 'only' }],
      intervalMs: 30_000,
      timeoutMs: 29_000,
      concurrency: 1,
      clock: systemClock,
      runTarget: (_t, signal) =>
        new Promise<string>((resolve) => {
          signal.addEventListener('abort', () => {
            aborted++;
            resolve('aborted');
          });
        }),
      onCycleComplete: () => undefined,
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1_000);
    const stopping = scheduler.stop({ drainMs: 2_000 });
    await vi.advanceTimersByTimeAsync(2_000);
    await stopping;
    expect(aborted).toBe(1);
    expect(scheduler.stats().running).toBe(false);
  });

  it('records a throwing target on that target with onTargetError', async () => {
    const cycles: Array<Map<string, string>> = [];
    const scheduler = new ScrapeScheduler({
      targets: [{ service: 'a' }, { service: 'b' }],
      intervalMs: 30_000,
      timeoutMs: 10_000,
      concurrency: 2,
      clock: systemClock,
      runTarget: async (t) => {
        if (t.service === 'a') throw new Error('kaboom');
        return 'up';
      },
      onTargetError: (t, message) => `down: ${message}`,
      onCycleComplete: (results) => void cycles.push(results),
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(25_000);
    await scheduler.stop();
    expect([...cycles[0]!]).toEqual([
      ['a', 'down: scrape of a threw: kaboom'],
      ['b', 'up'],
    ]);
  });

  it('a failing cycle handler is reported and the next cycle still runs', async () => {
    const errors: string[] = [];
    let calls = 0;
    const scheduler = new ScrapeScheduler({
      targets: [{ service: 'a' }],
      intervalMs: 30_000,
      timeoutMs: 10_000,
      concurrency: 1,
      clock: systemClock,
      runTarget: async () => 'ok',
      onCycleComplete: () => {
        calls++;
        throw new Error('database gone');
      },
      onLoopError: (message) => void errors.push(message),
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(65_000);
    await scheduler.stop();
    expect(calls).toBe(3);
    expect(errors).toEqual(['cycle 0 handler failed: database gone', 'cycle 1 handler failed: database gone', 'cycle 2 handler failed: database gone']);
  });

  it('every scrape starts at its offset, inside [cycle start, cycle start + interval − timeout)', async () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ service: `target-${i}` }));
    const starts: number[] = [];
    const scheduler = new ScrapeScheduler({
      targets: many,
      intervalMs: 30_000,
      timeoutMs: 10_000,
      concurrency: 200,
      clock: systemClock,
      runTarget: async () => void starts.push(Date.now()),
      onCycleComplete: () => undefined,
    });
    const t0 = Date.now();
    scheduler.start();
    await vi.advanceTimersByTimeAsync(29_999);
    await scheduler.stop();
    expect(starts).toHaveLength(200);
    for (const at of starts) {
      expect(at - t0).toBeGreaterThanOrEqual(0);
      expect(at - t0).toBeLessThan(20_000);
    }
    // Spread, not bunched: every 2 s slice of the 20 s window gets some starts.
    const slices = new Set(starts.map((at) => Math.floor((at - t0) / 2_000)));
    expect(slices.size).toBe(10);
    expect(scheduler.stats().lastCycleLatenessMaxMs).toBeLessThan(2);
  });

  it('waiting behind the concurrency cap shows as start lateness', async () => {
    const scheduler = new ScrapeScheduler({
      targets: [{ service: 'a' }, { service: 'b' }, { service: 'c' }],
      intervalMs: 60_000,
      timeoutMs: 60_000, // spread 0: all planned at the cycle start
      concurrency: 1,
      clock: systemClock,
      runTarget: () => new Promise<string>((resolve) => setTimeout(() => resolve('ok'), 5_000)),
      onCycleComplete: () => undefined,
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(16_000);
    expect(scheduler.stats()).toMatchObject({ cycles: 1, lastCycleMs: 15_000, lastCycleLatenessMaxMs: 10_000, lastCycleLatenessP99Ms: 10_000 });
    await scheduler.stop();
  });

  it('setTargets replaces the list from the next cycle on', async () => {
    const seen: string[][] = [];
    const scheduler = new ScrapeScheduler({
      targets: [{ service: 'old' }],
      intervalMs: 30_000,
      timeoutMs: 10_000,
      concurrency: 4,
      clock: systemClock,
      runTarget: async (t) => t.service,
      onCycleComplete: (results) => void seen.push([...results.keys()]),
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1_000);
    scheduler.setTargets([{ service: 'new-1' }, { service: 'new-2' }]);
    await vi.advanceTimersByTimeAsync(84_000); // cycles at 0, 30 s, 60 s; every offset is under 20 s
    await scheduler.stop();
    expect(seen).toEqual([['old'], ['new-1', 'new-2'], ['new-1', 'new-2']]);
  });

  it('stop() waits for a scrape that finishes within drainMs and does not abort it', async () => {
    let aborted = false;
    const cycles: Array<Map<string, string>> = [];
    const scheduler = new ScrapeScheduler({
      targets: [{ service: 'only' }],
      intervalMs: 30_000,
      timeoutMs: 30_000,
      concurrency: 1,
      clock: systemClock,
      runTarget: (_t, signal) =>
        new Promise<string>((resolve) => {
          signal.addEventListener('abort', () => (aborted = true));
          setTimeout(() => resolve('finished'), 1_500);
        }),
      onCycleComplete: (results) => void cycles.push(results),
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(500);
    let stopped = false;
    const stopping = scheduler.stop({ drainMs: 2_000 }).then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(900);
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    await stopping;
    expect(aborted).toBe(false);
    expect(cycles[0]!.get('only')).toBe('finished');
  });

  it('stop() during offset waits starts nothing more', async () => {
    const started: string[] = [];
    const { scheduler, cycles } = make(async (t) => {
      started.push(t.service);
      return 'ok';
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(5_000);
    const before = started.length;
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(20);
    expect(started).toHaveLength(before);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]!.results.size).toBe(before);
  });

  it('1,000 targets: no listener piles up on a shared signal (no MaxListeners warning)', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => void warnings.push(warning.name);
    process.on('warning', onWarning);
    const scheduler = new ScrapeScheduler({
      targets: Array.from({ length: 1_000 }, (_, i) => ({ service: `t${i}` })),
      intervalMs: 30_000,
      timeoutMs: 10_000,
      concurrency: 64,
      clock: systemClock,
      runTarget: (_t, signal) => new Promise<string>((resolve) => {
        signal.addEventListener('abort', () => resolve('aborted'), { once: true });
        setTimeout(() => resolve('ok'), 100);
      }),
      onCycleComplete: () => undefined,
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(5_000);
    await scheduler.stop({ drainMs: 0 });
    await new Promise((resolve) => process.nextTick(resolve)); // warnings are emitted on the next tick
    process.off('warning', onWarning);
    expect(warnings).toEqual([]);
  });

  it.each([
    { name: 'interval 0', options: { intervalMs: 0 }, message: 'intervalMs must be positive' },
    { name: 'negative timeout', options: { timeoutMs: -1 }, message: 'timeoutMs must not be negative' },
    { name: 'concurrency 0', options: { concurrency: 0 }, message: 'concurrency must be an integer of at least 1' },
    { name: 'fractional concurrency', options: { concurrency: 1.5 }, message: 'concurrency must be an integer of at least 1' },
  ])('the constructor refuses $name', ({ options, message }) => {
    const create = () =>
      new ScrapeScheduler({ targets, intervalMs: 30_000, timeoutMs: 10_000, concurrency: 4, clock: systemClock, runTarget: async () => 'ok', onCycleComplete: () => undefined, ...options });
    expect(create).toThrow(message);
  });
});

describe('a wall clock corrected by a day', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-11-24T10:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('neither stops nor races the scrape loop: ticks run on the monotonic clock', async () => {
    let wallOffset = 0;
    const clock = { now: () => Date.now() + wallOffset, monotonic: () => Date.now() };
    const starts: number[] = [];
    const scheduler = new ScrapeScheduler({
      targets: [{ service: 'a' }],
      intervalMs: 30_000,
      timeoutMs: 10_000,
      concurrency: 1,
      clock,
      runTarget: async () => 'ok',
      onCycleComplete: (_results, cycle) => void starts.push(cycle.startedAt),
      onLoopError: () => undefined,
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(31_000);
    wallOffset = -86_400_000; // NTP steps the wall clock back a day
    await vi.advanceTimersByTimeAsync(90_000);
    wallOffset = 2 * 86_400_000; // and forward two
    await vi.advanceTimersByTimeAsync(60_000);
    await scheduler.stop({ drainMs: 100 });
    expect(starts).toHaveLength(7);
  });
});
