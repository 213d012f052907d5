/**
 * Label values kept from a target are bounded. A target can serve a label
 * value of megabytes (a `datname` of 10 MB); stored on every scrape, it put
 * gigabytes a day into a 1 GiB database and, read back, 580 MB into memory
 * (issue 11, fault 17). Like Prometheus's `label_value_length_limit`, a
 * scrape with a longer value fails as a whole with a reason and nothing of
 * it is kept: cutting the value instead would silently merge distinct series.
 */
import type { Sample } from '../exposition/index.js';

/** Longest label value kept from a target, in characters (UTF-16 units). Documented in the README. */
export const MAX_LABEL_VALUE_LENGTH = 1_024;

/** Null when every label value is within `limit`; else the reason the scrape fails, naming the metric and label, not the value. */
export function labelLimitProblem(samples: readonly Sample[], limit: number = MAX_LABEL_VALUE_LENGTH): string | null {
  for (const sample of samples) {
    for (const name in sample.labels) {
      const value = sample.labels[name]!;
      if (value.length > limit) {
        return `label "${name}" of ${sample.name} is ${value.length} characters long, over the limit of ${limit} (label value length limit): nothing of this scrape is kept`;
      }
    }
  }
  return null;
}
