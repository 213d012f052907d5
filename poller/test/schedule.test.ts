import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '@chroma-monitor/shared';
import { ScrapeScheduler, scheduleOffsetMs } from '../src/scrape/index.js';

const targets = Array.from({ length: 20 }, (_, i) => ({ service: `svc-${i}` }));

describe('scheduleOffsetMs', () => {
  it('is stable per service and within [0, spread)', () => {
    for (const { service } of targets) {
      const offset = scheduleOffsetMs(service, 20_000);
      expect(offset).toBe(scheduleOffsetMs(service, 20_000));
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset).toBeLessThan(20_000);
    }
    expect(new Set(targets.map((t) => Math.floor(scheduleOffsetMs(t.service, 20_000)))).size).toBeGreaterThan(15);
    expect(scheduleOffsetMs('x', 0)).toBe(0);
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
    for (const { service, at } of started.filter((s) => s.at < t0 + 30_000)) {
      expect(Math.abs(at - t0 - scheduleOffsetMs(service, 20_000))).toBeLessThan(2);
    }
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
});
