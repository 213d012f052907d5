/**
 * The exporter embedded in a service whose event loop is saturated: a scrape
 * must not wait for many turns of that loop. In the real stack a load
 * balancer burning its 0.5-CPU quota in 50 ms slices answered /metrics after
 * ten turns (one per asynchronous kernel-file read), past the poller's
 * timeout, and was reported "Service Down" while it was only busy. Counted in
 * event-loop turns, not in milliseconds: the test does not depend on the
 * machine's speed or load (a real statfs waits for the thread pool, so the
 * tests give it an answer at once or watch no disk).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startResourceMonitoring, type ResourceMonitor } from '../src/index.js';

const monitors: ResourceMonitor[] = [];
afterEach(async () => {
  while (monitors.length) await monitors.pop()!.stopMonitoring();
});

/** Turns of the event loop (setImmediate callbacks) that ran while `work` was pending. */
async function turnsDuring(work: () => Promise<unknown>): Promise<number> {
  let turns = 0;
  let running = true;
  const tick = () => {
    turns++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  await work();
  running = false;
  return turns;
}

describe('a scrape in a busy service', () => {
  it('reads every kernel file without yielding to the busy loop (the disk\'s statfs, which may hang on a network mount, is the one asynchronous call: answered at once here)', async () => {
    let now = 1_000_000;
    // statfs answers as a resolved promise: any turn counted below is a kernel-file read waiting for the loop.
    const statfs = async () => ({ blocks: 1000, bfree: 400, bavail: 350, bsize: 4096 });
    const monitor = startResourceMonitoring('busy', { collectDefaultMetrics: false, diskPaths: ['/data'], statfs, clock: { now: () => now } });
    monitors.push(monitor);
    await monitor.registry.metrics(); // the first reading also waits for its first CPU window
    now += 60_000; // past the sharing window: the next scrape reads the kernel files again
    const body = { text: '' };
    const turns = await turnsDuring(async () => (body.text = await monitor.registry.metrics()));
    expect(body.text).toMatch(/^resource_memory_used_bytes\{service="busy"\} \d+$/m);
    expect(body.text).toMatch(/^resource_cpu_seconds_total\{service="busy"\} [\d.e+-]+$/m);
    expect(body.text).toMatch(/^resource_disk_usage_ratio\{path="\/data",service="busy"\} 0\.6\d*$/m);
    expect(turns).toBe(0);
  });

  it('without a watched disk, the whole scrape is answered without yielding to the busy loop', async () => {
    let now = 1_000_000;
    const monitor = startResourceMonitoring('busy', { collectDefaultMetrics: false, diskPaths: [], clock: { now: () => now } });
    monitors.push(monitor);
    await monitor.registry.metrics();
    now += 60_000;
    expect(await turnsDuring(() => monitor.registry.metrics())).toBe(0);
  });
});
