/**
 * A read-only view of one scrape's samples, keyed by metric name, limited
 * to the series that belong to the target's own service. A series labelled
 * with another service is ignored: a target cannot report values for, and so
 * impersonate, a service it was not configured as.
 *
 * Over a ParsedBody (the scrape path) a name's samples are looked up, and
 * their labels built, only when the name is first asked for: derivation
 * reads about twenty names, a node_exporter body has ~430.
 */
import { SERVICE_LABEL } from '@chroma-monitor/shared';
import { ParsedBody, type Sample } from '../exposition/index.js';

/** What derivation reads: a scrape's parsed body, or samples already built (tools and tests). */
export type SampleSource = ParsedBody | readonly Sample[];

const NONE: readonly Sample[] = [];

export class SampleIndex {
  readonly #byName = new Map<string, Sample[]>();
  readonly #body: ParsedBody | null;
  readonly #service: string;

  constructor(source: SampleSource, service: string) {
    this.#service = service;
    if (source instanceof ParsedBody) {
      this.#body = source;
      return;
    }
    this.#body = null;
    for (const sample of source) {
      if (!this.#owns(sample)) continue;
      const list = this.#byName.get(sample.name);
      if (list) list.push(sample);
      else this.#byName.set(sample.name, [sample]);
    }
  }

  /** Every sample of `name` (empty when absent). */
  all(name: string): readonly Sample[] {
    const known = this.#byName.get(name);
    if (known !== undefined || this.#body === null) return known ?? NONE;
    const owned = this.#body.samplesNamed(name).filter((sample) => this.#owns(sample));
    this.#byName.set(name, owned);
    return owned;
  }

  /** The finite value of the first sample of `name`, or null when absent or NaN/Inf. */
  value(name: string): number | null {
    const first = this.all(name)[0];
    return first ? finiteOrNull(first.value) : null;
  }

  /** The finite value of the sample of `name` whose `label` equals `labelValue`, or null. */
  valueWhere(name: string, label: string, labelValue: string): number | null {
    const match = this.all(name).find((sample) => sample.labels[label] === labelValue);
    return match ? finiteOrNull(match.value) : null;
  }

  #owns(sample: Sample): boolean {
    const owner = sample.labels[SERVICE_LABEL];
    return owner === undefined || owner === this.#service;
  }
}

/** NaN and ±Inf mean "no value", never a number to store or alert on. */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
