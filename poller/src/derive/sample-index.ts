/**
 * A read-only view of one scrape's samples, keyed by metric name, limited
 * to the series that belong to the target's own service. A series labelled
 * with another service is ignored: a target cannot report values for, and so
 * impersonate, a service it was not configured as.
 */
import { SERVICE_LABEL } from '@chroma-monitor/shared';
import type { Sample } from '../exposition/index.js';

export class SampleIndex {
  readonly #byName = new Map<string, Sample[]>();

  constructor(samples: readonly Sample[], service: string) {
    for (const sample of samples) {
      const owner = sample.labels[SERVICE_LABEL];
      if (owner !== undefined && owner !== service) continue;
      const list = this.#byName.get(sample.name);
      if (list) list.push(sample);
      else this.#byName.set(sample.name, [sample]);
    }
  }

  /** Every sample of `name` (empty when absent). */
  all(name: string): readonly Sample[] {
    return this.#byName.get(name) ?? [];
  }

  /** The finite value of the first sample of `name`, or null when absent or NaN/Inf. */
  value(name: string): number | null {
    const first = this.#byName.get(name)?.[0];
    return first ? finiteOrNull(first.value) : null;
  }

  /** The finite value of the sample of `name` whose `label` equals `labelValue`, or null. */
  valueWhere(name: string, label: string, labelValue: string): number | null {
    const match = this.all(name).find((sample) => sample.labels[label] === labelValue);
    return match ? finiteOrNull(match.value) : null;
  }
}

/** NaN and ±Inf mean "no value", never a number to store or alert on. */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
