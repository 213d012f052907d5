/**
 * The kept samples of one body as columns of offsets and numbers, in body
 * order: what the scan writes and ParsedBody reads.
 *
 * Typed arrays rather than JavaScript arrays and strings because the poller
 * scans every target every interval: a typed array's storage lives outside
 * the V8 heap, so the scan puts nothing per sample or per family into the
 * young generation, which the poller runs small (`--max-semi-space-size=1`,
 * a 1 MB semi-space). The fewer bytes a scrape allocates there, the fewer
 * scavenges; and a scavenge that falls in the middle of a scan copies what
 * the scan has built so far, which for a large body is everything (V8 doc
 * "Orinoco: young generation garbage collection",
 * https://v8.dev/blog/orinoco-parallel-scavenger). Names are kept as ranges
 * of the text, once per run of consecutive samples sharing one, and a string
 * is made only for a name that is read.
 */
import { matchesAt } from './scan.js';

/** Samples room is first made for: one per this many characters of the body (a node_exporter body has one per ~100). */
const CHARACTERS_PER_SAMPLE_GUESS = 64;
const MIN_CAPACITY = 64;
/** values (8 bytes), then opens, lineEnds, labelEnds, runStarts, runNameStarts and runNameEnds (4 bytes each). */
const BYTES_PER_SAMPLE = 32;

export class SampleColumns {
  /** Samples kept. */
  size = 0;
  /** Runs of consecutive samples sharing one name. */
  runs = 0;
  values: Float64Array;
  /** Index of each sample's `{` in the text, or -1 when it has no label set. */
  opens: Int32Array;
  /** Index of the end of each sample's line (it bounds the label set). */
  lineEnds: Int32Array;
  /** Where each sample's label set ends (after its `}`), negated when it is not spelled canonically; 0 without one. */
  labelEnds: Int32Array;
  /** Null until a sample has a timestamp; then NaN for the samples without one. */
  timestamps: Float64Array | null = null;
  /** By run: the index of its first sample, and where its name is in the text. */
  runStarts: Int32Array;
  runNameStarts: Int32Array;
  runNameEnds: Int32Array;

  /** Columns with room for the samples a body of `text.length` characters probably holds; they grow when it holds more. */
  constructor(readonly text: string) {
    const capacity = Math.max(MIN_CAPACITY, Math.ceil(text.length / CHARACTERS_PER_SAMPLE_GUESS));
    this.values = new Float64Array(0);
    this.opens = this.lineEnds = this.labelEnds = this.runStarts = this.runNameStarts = this.runNameEnds = new Int32Array(0);
    this.#allocate(capacity);
  }

  /** Whether the sample kept last is named text[nameStart, nameEnd) (false when there is none). */
  lastRunIsNamed(nameStart: number, nameEnd: number): boolean {
    const run = this.runs - 1;
    if (run < 0) return false;
    const start = this.runNameStarts[run]!;
    const length = nameEnd - nameStart;
    if (this.runNameEnds[run]! - start !== length) return false;
    const text = this.text;
    for (let k = 0; k < length; k++) if (text.charCodeAt(start + k) !== text.charCodeAt(nameStart + k)) return false;
    return true;
  }

  /**
   * Appends a sample named text[nameStart, nameEnd); `newRun` is
   * `!lastRunIsNamed(nameStart, nameEnd)`, which the caller has already
   * asked. `timestampMs` is NaN when the sample has none.
   */
  push(newRun: boolean, nameStart: number, nameEnd: number, open: number, lineEnd: number, labelEnd: number, value: number, timestampMs: number): void {
    const index = this.size;
    if (index === this.opens.length) this.#allocate(index * 2);
    const runs = this.runs;
    if (newRun) {
      this.runStarts[runs] = index;
      this.runNameStarts[runs] = nameStart;
      this.runNameEnds[runs] = nameEnd;
      this.runs = runs + 1;
    }
    this.opens[index] = open;
    this.lineEnds[index] = lineEnd;
    this.labelEnds[index] = labelEnd;
    this.values[index] = value;
    if (!Number.isNaN(timestampMs)) {
      this.timestamps ??= new Float64Array(this.opens.length).fill(Number.NaN);
      this.timestamps[index] = timestampMs;
    } else if (this.timestamps !== null) this.timestamps[index] = Number.NaN;
    this.size = index + 1;
  }

  /** Whether run `run` is named `name`. */
  runIsNamed(run: number, name: string): boolean {
    const start = this.runNameStarts[run]!;
    return this.runNameEnds[run]! - start === name.length && matchesAt(this.text, start, name);
  }

  /** The name of run `run`, as a string. */
  runName(run: number): string {
    return this.text.slice(this.runNameStarts[run]!, this.runNameEnds[run]!);
  }

  /** The run holding sample `index` (0 ≤ index < size), found by bisection. */
  runOf(index: number): number {
    const starts = this.runStarts;
    let low = 0;
    let high = this.runs - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (starts[middle]! <= index) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  /** Index one past the last sample of run `run`. */
  runEnd(run: number): number {
    return run + 1 < this.runs ? this.runStarts[run + 1]! : this.size;
  }

  /** Moves every column to one new buffer with room for `capacity` samples (each ArrayBuffer costs an allocation and GC bookkeeping, which a small body notices). */
  #allocate(capacity: number): void {
    const buffer = new ArrayBuffer(capacity * BYTES_PER_SAMPLE);
    const ints = (column: number, from: Int32Array) => moved(from, new Int32Array(buffer, capacity * (8 + 4 * column), capacity));
    this.values = moved(this.values, new Float64Array(buffer, 0, capacity));
    this.opens = ints(0, this.opens);
    this.lineEnds = ints(1, this.lineEnds);
    this.labelEnds = ints(2, this.labelEnds);
    this.runStarts = ints(3, this.runStarts);
    this.runNameStarts = ints(4, this.runNameStarts);
    this.runNameEnds = ints(5, this.runNameEnds);
    if (this.timestamps !== null) this.timestamps = moved(this.timestamps, new Float64Array(capacity).fill(Number.NaN));
  }
}

function moved<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
