/**
 * Registers the container resource gauges (SPEC §3) on a registry. Values
 * are computed in collect(), at scrape time, from one shared snapshot. A
 * failing reader leaves its series out and counts the failure: it never
 * fails the whole /metrics.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { PATH_LABEL, ResourceMetric, type MetricName } from '@chroma-monitor/shared';
import type { ResourceSampler, ResourceSnapshot } from './resource-sampler.js';

export const COLLECTOR_ERRORS_METRIC = 'resource_collector_errors_total';

export function registerResourceMetrics(registry: Registry, sampler: ResourceSampler): void {
  const errors = new Counter({
    name: COLLECTOR_ERRORS_METRIC,
    help: 'Scrapes in which a resource reader failed, by collector (memory, cpu, disk).',
    labelNames: ['collector'],
    registers: [registry],
  });
  for (const collector of ['memory', 'cpu', 'disk']) errors.inc({ collector }, 0);

  let countedSnapshot: ResourceSnapshot | null = null;
  const snapshot = async () => {
    const current = await sampler.snapshot();
    if (countedSnapshot !== current) {
      countedSnapshot = current;
      for (const collector of current.failed) errors.inc({ collector });
    }
    return current;
  };

  const scalar = (metric: MetricName, pick: (s: ResourceSnapshot) => number | null | undefined) =>
    new Gauge({
      name: metric.name,
      help: metric.help,
      registers: [registry],
      async collect() {
        this.reset();
        const value = pick(await snapshot());
        if (value !== null && value !== undefined) this.set(value);
      },
    });

  scalar(ResourceMetric.memoryUsedBytes, (s) => s.memory?.usedBytes);
  scalar(ResourceMetric.memoryLimitBytes, (s) => s.memory?.limitBytes);
  scalar(ResourceMetric.memoryUsageRatio, (s) => (s.memory ? s.memory.usedBytes / s.memory.limitBytes : null));
  scalar(ResourceMetric.cpuLimitCores, (s) => s.cpu?.limitCores);
  scalar(ResourceMetric.cpuUsageRatio, (s) => s.cpu?.usageRatio);

  new Counter({
    name: ResourceMetric.cpuSecondsTotal.name,
    help: ResourceMetric.cpuSecondsTotal.help,
    registers: [registry],
    async collect() {
      const cpu = (await snapshot()).cpu;
      this.reset();
      if (cpu) this.inc(cpu.cpuSeconds);
    },
  });

  const perPath = (metric: MetricName, pick: (d: ResourceSnapshot['disks'][number]) => number) =>
    new Gauge({
      name: metric.name,
      help: metric.help,
      labelNames: [PATH_LABEL],
      registers: [registry],
      async collect() {
        this.reset();
        for (const disk of (await snapshot()).disks) this.set({ [PATH_LABEL]: disk.path }, pick(disk));
      },
    });

  perPath(ResourceMetric.diskSizeBytes, (d) => d.sizeBytes);
  perPath(ResourceMetric.diskFreeBytes, (d) => d.freeBytes);
  perPath(ResourceMetric.diskUsedBytes, (d) => d.usedBytes);
  perPath(ResourceMetric.diskUsageRatio, (d) => d.usageRatio);
}
