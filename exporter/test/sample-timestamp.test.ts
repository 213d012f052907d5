/**
 * resource_sample_timestamp_seconds: when the CPU counters of a scrape were
 * read, by the exporter's clock, so the poller times its CPU rate by the
 * reading (issue "Alerts you can trust", fault 3) — and a reading shared by
 * scrapes under 200 ms apart carries its own time, not the second scrape's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseExposition } from '../../poller/src/exposition/index.js';
import { startResourceMonitoring, type ResourceMonitor } from '../src/index.js';

const monitors: ResourceMonitor[] = [];
afterEach(async () => {
  while (monitors.length) await monitors.pop()!.stopMonitoring();
});

const timestampOf = async (monitor: ResourceMonitor) => {
  const outcome = parseExposition(await monitor.registry.metrics());
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.samples.find((s) => s.name === 'resource_sample_timestamp_seconds')?.value;
};

describe('resource_sample_timestamp_seconds', () => {
  it('is the clock time of the CPU reading; a shared reading keeps its time', async () => {
    let now = 1_764_000_000_000;
    const monitor = startResourceMonitoring('svc', { collectDefaultMetrics: false, diskPaths: [], clock: { now: () => now } });
    monitors.push(monitor);
    expect(await timestampOf(monitor)).toBe(1_764_000_000);
    now += 150; // shared: same reading, same time
    expect(await timestampOf(monitor)).toBe(1_764_000_000);
    now += 60_000;
    expect(await timestampOf(monitor)).toBe(1_764_000_060.15);
  });
});
