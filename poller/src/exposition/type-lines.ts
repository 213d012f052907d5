/**
 * The TYPE lines of one body, kept as offsets into its text (where the name
 * is, which type) and turned into a name → type map only when something asks
 * for it: the scrape path never does, so a scan makes no string or array
 * entry per TYPE line (sample-columns.ts says why allocation matters here).
 */
import type { MetricType } from './types.js';

/** The types TYPE may declare, spelled as Prometheus' scrape parser compares them: lower case, exactly. */
export const METRIC_TYPES: readonly MetricType[] = ['counter', 'gauge', 'histogram', 'summary', 'untyped'];

/** Integers per TYPE line: name start, name end, index in METRIC_TYPES. */
const FIELDS = 3;

export class TypeLines {
  #lines = new Int32Array(FIELDS * 64);
  #count = 0;

  /** Records a TYPE line: the name is text[nameStart, nameEnd), the type METRIC_TYPES[typeIndex]. */
  add(nameStart: number, nameEnd: number, typeIndex: number): void {
    let at = this.#count * FIELDS;
    if (at === this.#lines.length) {
      const grown = new Int32Array(this.#lines.length * 2);
      grown.set(this.#lines);
      this.#lines = grown;
    }
    this.#lines[at++] = nameStart;
    this.#lines[at++] = nameEnd;
    this.#lines[at] = typeIndex;
    this.#count++;
  }

  /** Family name → declared type, the last TYPE line for a name winning (as Prometheus' metadata cache keeps the latest). */
  toMap(text: string): Map<string, MetricType> {
    const types = new Map<string, MetricType>();
    const lines = this.#lines;
    for (let at = 0; at < this.#count * FIELDS; at += FIELDS) types.set(text.slice(lines[at]!, lines[at + 1]!), METRIC_TYPES[lines[at + 2]!]!);
    return types;
  }
}
