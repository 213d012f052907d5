/**
 * A parsed body kept as offsets into its text: each sample's name (one
 * string per run of lines with that name), value, timestamp and where its
 * label set is written. Label objects are built only for the samples that
 * are read (`samplesNamed`, `sample`, `samples`): the poller reads about ten
 * series of a node_exporter body's ~930, so the other ~920 label objects and
 * their value strings are never allocated.
 *
 * The body was checked in full when it was scanned (scanExposition): building
 * the labels of a sample later re-reads text already known to be valid.
 */
import { NO_LABELS, parseLabels, type LabelScan } from './label-set.js';
import type { SampleColumns } from './sample-columns.js';
import type { TypeLines } from './type-lines.js';
import { BackslashCursor } from './scan.js';
import type { MetricType, Sample } from './types.js';

/** Reads a label set that is known to be valid; one per body, its name cache reused across samples. */
class LabelReader implements LabelScan {
  labels = NO_LABELS as Record<string, string>;
  canonical = true;
  problem: string | null = null;
  readonly labelNames: string[] = [];
  readonly #backslashes: BackslashCursor;
  constructor(text: string) {
    this.#backslashes = new BackslashCursor(text);
  }
  backslashIn(start: number, end: number): number {
    return this.#backslashes.firstIn(start, end);
  }
}

/** What the scanner hands over; samples are indexed by position in body order. */
export interface BodyColumns {
  text: string;
  samples: SampleColumns;
  /** TYPE lines in body order, as offsets. */
  typeLines: TypeLines;
  duplicateSamples: number;
  longestLabelValue: number;
}

export class ParsedBody {
  readonly #c: BodyColumns;
  readonly #reader: LabelReader;
  #types: Map<string, MetricType> | null = null;
  #labelSetsBuilt = 0;

  constructor(columns: BodyColumns) {
    this.#c = columns;
    this.#reader = new LabelReader(columns.text);
  }

  /** Samples kept (a series written twice is kept once). */
  get size(): number {
    return this.#c.samples.size;
  }

  /** Samples of a series already seen in the body, dropped (Prometheus keeps the first). */
  get duplicateSamples(): number {
    return this.#c.duplicateSamples;
  }

  /**
   * Longest label value as written (escapes count two characters), in UTF-16
   * units: an upper bound of every value's length, so a body whose bound is
   * within a limit needs no label object built to check it.
   */
  get longestLabelValue(): number {
    return this.#c.longestLabelValue;
  }

  /** Label sets built from the text so far: what reading the body cost beyond the scan (tests count it). */
  get labelSetsBuilt(): number {
    return this.#labelSetsBuilt;
  }

  /** Family name → its declared type (the last TYPE line for it), built on first use. */
  get types(): Map<string, MetricType> {
    this.#types ??= this.#c.typeLines.toMap(this.#c.text);
    return this.#types;
  }

  /** The sample at `index` (0 ≤ index < size), its labels built now. */
  sample(index: number): Sample {
    const samples = this.#c.samples;
    return this.#sampleNamed(samples.runName(samples.runOf(index)), index);
  }

  /** Every sample in body order (builds every label set: for tools and tests, not the scrape path). */
  samples(): Sample[] {
    const samples = this.#c.samples;
    const all: Sample[] = new Array(this.size);
    for (let run = 0; run < samples.runs; run++) {
      const name = samples.runName(run);
      const stop = samples.runEnd(run);
      for (let i = samples.runStarts[run]!; i < stop; i++) all[i] = this.#sampleNamed(name, i);
    }
    return all;
  }

  /** The samples named `name`, in body order; only their label sets are built. */
  samplesNamed(name: string): Sample[] {
    const samples = this.#c.samples;
    const found: Sample[] = [];
    // The samples carry the caller's string as their name: equal to the text's, and it holds no reference to the body.
    for (let run = 0; run < samples.runs; run++) {
      if (!samples.runIsNamed(run, name)) continue;
      const stop = samples.runEnd(run);
      for (let i = samples.runStarts[run]!; i < stop; i++) found.push(this.#sampleNamed(name, i));
    }
    return found;
  }

  #sampleNamed(name: string, index: number): Sample {
    const samples = this.#c.samples;
    const stamp = samples.timestamps === null ? Number.NaN : samples.timestamps[index]!;
    return { name, labels: this.#labelsAt(index), value: samples.values[index]!, timestampMs: Number.isNaN(stamp) ? null : stamp };
  }

  #labelsAt(index: number): Record<string, string> {
    const c = this.#c;
    const open = c.samples.opens[index]!;
    if (open === -1) return NO_LABELS as Record<string, string>;
    this.#labelSetsBuilt++;
    parseLabels(c.text, open, c.samples.lineEnds[index]!, this.#reader);
    return this.#reader.labels;
  }
}
