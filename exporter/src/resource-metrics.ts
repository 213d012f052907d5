/**
 * Registers the container resource metrics (SPEC §3, §8) on a registry.
 * Values come from one snapshot per scrape, read when /metrics is asked. A
 * failing reader leaves its series out, and `resource_collector_errors_total`
 * counts it in the same scrape (every metric of the scrape awaits the same
 * snapshot, the error counter included); it never fails the whole /metrics.
 */
import { PATH_LABEL, ResourceMetric, type MetricName } from '@chroma-monitor/shared';
import type { Registry } from 'prom-client';
import type { ResourceSampler, ResourceSnapshot } from './resource-sampler.js';
import { registerSnapshotMetric, type SnapshotSample } from './snapshot-metric.js';

const COLLECTORS = ['memory', 'cpu', 'disk'] as const;

export function registerResourceMetrics(registry: Registry, sampler: ResourceSampler): void {
  const errorCounts = new Map<string, number>(COLLECTORS.map((collector) => [collector, 0]));
  let countedSnapshot: ResourceSnapshot | null = null;
  const snapshot = async () => {
    const current = await sampler.snapshot();
    // Counted once per snapshot, by whichever metric of the scrape resumes first, before any of them renders.
    if (countedSnapshot !== current) {
      countedSnapshot = current;
      for (const collector of current.failed) errorCounts.set(collector, (errorCounts.get(collector) ?? 0) + 1);
    }
    return current;
  };

  const register = (metric: MetricName, type: 'gauge' | 'counter', samples: (s: ResourceSnapshot) => SnapshotSample[]) =>
    registerSnapshotMetric(registry, { name: metric.name, help: metric.help, type, snapshot, samples });
  const one = (value: number | null | undefined): SnapshotSample[] => (value === null || value === undefined ? [] : [{ value }]);

  register(ResourceMetric.collectorErrorsTotal, 'counter', () => COLLECTORS.map((collector) => ({ labels: { collector }, value: errorCounts.get(collector) ?? 0 })));
  register(ResourceMetric.memoryUsedBytes, 'gauge', (s) => one(s.memory?.usedBytes));
  register(ResourceMetric.memoryLimitBytes, 'gauge', (s) => one(s.memory?.limitBytes));
  register(ResourceMetric.memoryUsageRatio, 'gauge', (s) => one(s.memory && s.memory.usedBytes / s.memory.limitBytes));
  register(ResourceMetric.cpuSecondsTotal, 'counter', (s) => one(s.cpu?.cpuSeconds));
  register(ResourceMetric.cpuLimitCores, 'gauge', (s) => one(s.cpu?.limitCores));
  register(ResourceMetric.cpuUsageRatio, 'gauge', (s) => one(s.cpu?.usageRatio));
  // When the counters were read: the poller times its CPU rate by this, not by when it sent the request.
  register(ResourceMetric.sampleTimestampSeconds, 'gauge', (s) => one(s.cpu && s.cpu.readAt / 1000));
  register(ResourceMetric.cpuPeriodsTotal, 'counter', (s) => one(s.cpu?.throttling?.periods));
  register(ResourceMetric.cpuThrottledPeriodsTotal, 'counter', (s) => one(s.cpu?.throttling?.throttledPeriods));
  register(ResourceMetric.cpuThrottledSecondsTotal, 'counter', (s) => one(s.cpu?.throttling?.throttledSeconds));

  const perPath = (metric: MetricName, pick: (d: ResourceSnapshot['disks'][number]) => number) =>
    register(metric, 'gauge', (s) => s.disks.map((disk) => ({ labels: { [PATH_LABEL]: disk.path }, value: pick(disk) })));
  perPath(ResourceMetric.diskSizeBytes, (d) => d.sizeBytes);
  perPath(ResourceMetric.diskFreeBytes, (d) => d.freeBytes);
  perPath(ResourceMetric.diskUsedBytes, (d) => d.usedBytes);
  perPath(ResourceMetric.diskUsageRatio, (d) => d.usageRatio);
}
