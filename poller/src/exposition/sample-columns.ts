/**
 * The kept samples of one body as columns of offsets and numbers, in body
 * order: what the scan writes and ParsedBody reads.
 *
 * Typed arrays rather than JavaScript arrays because the poller scans every
 * target every interval: a typed array's storage lives outside the V8 heap,
 * so the scan puts nothing per sample into the young generation, which the
 * poller runs small (`--max-semi-space-size=1`, a 1 MB semi-space). The
 * fewer bytes a scrape allocates there, the fewer scavenges; and a scavenge
 * that falls in the middle of a scan copies what the scan has built so far,
 * which for a large body is everything (V8 doc "Orinoco: young generation
 * garbage collection", https://v8.dev/blog/orinoco-parallel-scavenger).
 * Names are kept once per run of consecutive samples sharing one.
 */

/** Samples room is first made for: one per this many characters of the body (a node_exporter body has one per ~100). */
const CHARACTERS_PER_SAMPLE_GUESS = 64;
const MIN_CAPACITY = 64;

export class SampleColumns {
  /** Samples kept. */
  size = 0;
  /** Index of each sample's `{` in the text, or -1 when it has no label set. */
  opens: Int32Array;
  /** Index of the end of each sample's line (it bounds the label set). */
  lineEnds: Int32Array;
  /** Where each sample's label set ends (after its `}`), negated when it is not spelled canonically; 0 without one. */
  labelEnds: Int32Array;
  values: Float64Array;
  /** Null until a sample has a timestamp; then NaN for the samples without one. */
  timestamps: Float64Array | null = null;
  /** Runs of consecutive samples sharing one name: the name and the index of the run's first sample. */
  readonly runNames: string[] = [];
  runStarts: Int32Array;

  /** Columns with room for the samples a body of `textLength` characters probably holds; they grow when it holds more. */
  constructor(textLength: number) {
    const capacity = Math.max(MIN_CAPACITY, Math.ceil(textLength / CHARACTERS_PER_SAMPLE_GUESS));
    this.opens = new Int32Array(capacity);
    this.lineEnds = new Int32Array(capacity);
    this.labelEnds = new Int32Array(capacity);
    this.values = new Float64Array(capacity);
    this.runStarts = new Int32Array(capacity);
  }

  /** Runs of one name so far. */
  get runs(): number {
    return this.runNames.length;
  }

  /** Appends a sample; `timestampMs` is NaN when it has none. */
  push(name: string, open: number, lineEnd: number, labelEnd: number, value: number, timestampMs: number): void {
    const index = this.size;
    if (index === this.opens.length) this.#grow();
    const runs = this.runNames.length;
    if (runs === 0 || this.runNames[runs - 1] !== name) {
      this.runStarts[runs] = index;
      this.runNames.push(name);
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

  /** The name of sample `index` (0 ≤ index < size): the run holding it, found by bisection. */
  nameOf(index: number): string {
    const starts = this.runStarts;
    let low = 0;
    let high = this.runNames.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (starts[middle]! <= index) low = middle;
      else high = middle - 1;
    }
    return this.runNames[low]!;
  }

  /** Index one past the last sample of run `run`. */
  runEnd(run: number): number {
    return run + 1 < this.runNames.length ? this.runStarts[run + 1]! : this.size;
  }

  #grow(): void {
    const capacity = this.opens.length * 2;
    this.opens = grown(this.opens, new Int32Array(capacity));
    this.lineEnds = grown(this.lineEnds, new Int32Array(capacity));
    this.labelEnds = grown(this.labelEnds, new Int32Array(capacity));
    this.values = grown(this.values, new Float64Array(capacity));
    this.runStarts = grown(this.runStarts, new Int32Array(capacity));
    if (this.timestamps !== null) this.timestamps = grown(this.timestamps, new Float64Array(capacity).fill(Number.NaN));
  }
}

function grown<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
