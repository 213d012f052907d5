/**
 * A prom-client metric whose samples come from the scrape's resource
 * snapshot. prom-client's own Gauge/Counter cannot leave a label-less series
 * out: `reset()` puts it back at 0, so a failed reading would be published
 * as "0 used of 0" (and a counter as a reset to 0). This one publishes
 * exactly the samples the snapshot has, and nothing when it has none.
 */
import type { Metric, Registry } from 'prom-client';

/** One sample: labels beyond the registry's default `service`, and its value. */
export interface SnapshotSample {
  labels?: Record<string, string>;
  value: number;
}

export interface SnapshotMetricOptions<S> {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  /** The snapshot of the scrape in progress (shared by every metric of the scrape). */
  snapshot: () => Promise<S>;
  /** The samples of `snapshot`; an empty list leaves the series out. */
  samples: (snapshot: S) => SnapshotSample[];
}

/** Registers a snapshot-backed metric on `registry`. */
export function registerSnapshotMetric<S>(registry: Registry, options: SnapshotMetricOptions<S>): void {
  const metric = {
    name: options.name,
    help: options.help,
    type: options.type,
    aggregator: 'sum' as const,
    async get() {
      const samples = options.samples(await options.snapshot());
      return {
        name: options.name,
        help: options.help,
        type: options.type,
        aggregator: 'sum' as const,
        values: samples.map((sample) => ({ labels: sample.labels ?? {}, value: sample.value })),
      };
    },
    reset(): void {
      // Nothing is kept between scrapes: every value comes from the snapshot.
    },
  };
  // prom-client's registry needs only name, help, type, get() and reset(); its Metric type names its own classes.
  registry.registerMetric(metric as unknown as Metric);
}
