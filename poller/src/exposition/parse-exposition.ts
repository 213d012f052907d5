/**
 * A parser for the Prometheus text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/). Like
 * Prometheus, one bad line fails the whole body, and the error names the
 * line. It never throws: every outcome is a value.
 *
 * Where the format leaves something open, or the Prometheus server accepts
 * more than its letter (SPEC §8), this parser does what the server's own
 * parser does (model/textparse/promlex.l, promparse.go), so a target
 * Prometheus scrapes with `up 1` is never "down" here;
 * poller/test/exposition-prometheus.test.ts lists those cases.
 *
 * Hand-written over char codes because the poller parses every target every
 * interval; bench/parser-bench.js compares it with the npm parsers. Where
 * bytes are many (HELP text, label values, line ends) it leans on native
 * searches (indexOf, startsWith) instead of JavaScript loops.
 *
 * The scrape path uses scanExposition: every line is checked exactly as here,
 * but samples are kept as offsets (ParsedBody) and a label object is built
 * only for a sample that is read; label sets are checked without one
 * (label-scan.ts) unless their names are out of order, where the object is
 * what finds a repeated name. parseExposition builds every sample from the
 * same scan.
 */
import { ErrorCode } from '@chroma-monitor/shared';
import { decodeBody } from './decode-body.js';
import { LABELS_OUT_OF_ORDER, scanLabels, type LabelCheck } from './label-scan.js';
import { NO_LABELS, parseLabels, type LabelScan } from './label-set.js';
import { scanTimestamp, scanValue, type NumberSlot } from './number-syntax.js';
import { parseComment, type CommentState } from './parse-comment.js';
import { ParsedBody, type BodyColumns } from './parsed-body.js';
import { SampleColumns } from './sample-columns.js';
import { TypeLines } from './type-lines.js';
import { BOM, BackslashCursor, CR, HASH, OPEN_BRACE, isBlank, scanName } from './scan.js';
import { SeriesIdentity, canonicalSeriesKey, type SeriesKeys } from './series-identity.js';
import { ExpositionError, type ParseOptions, type ParseOutcome, type ScanOutcome } from './types.js';

/** Per-body state; one per call, so nothing is shared between parses. */
class BodyParser implements CommentState, LabelScan, LabelCheck, NumberSlot, SeriesKeys {
  readonly columns: BodyColumns;
  readonly series: SeriesIdentity;
  readonly labelNames: string[] = [];
  readonly #backslashes: BackslashCursor;
  labels = NO_LABELS as Record<string, string>;
  canonical = true;
  longestLabelValue = 0;
  value = 0;
  problem: string | null = null;
  problemCode: ErrorCode = ErrorCode.ScrapeParse;

  constructor(
    readonly text: string,
    private readonly sampleLimit: number,
  ) {
    this.#backslashes = new BackslashCursor(text);
    this.series = new SeriesIdentity(text);
    this.columns = { text, samples: new SampleColumns(text), typeLines: new TypeLines(), duplicateSamples: 0, longestLabelValue: 0 };
  }

  scan(): ScanOutcome {
    const text = this.text;
    // Prometheus does not skip a byte order mark (neither its scrape parser nor
    // client_golang's): it is not a valid start of a line, so it is an error.
    if (text.charCodeAt(0) === BOM) return this.failure(1, 'byte order mark is not allowed', text.slice(1, text.indexOf('\n') >>> 0));
    const length = text.length;
    let line = 0;
    let position = 0;
    while (position < length) {
      let newline = text.indexOf('\n', position);
      if (newline === -1) newline = length;
      line++;
      const end = newline > position && text.charCodeAt(newline - 1) === CR ? newline - 1 : newline;
      let start = position;
      while (start < end && isBlank(text.charCodeAt(start))) start++;
      if (start < end) {
        if (text.charCodeAt(start) === HASH) parseComment(this, start, end);
        else this.parseSample(start, end);
        if (this.problem !== null) return this.failure(line, this.problem, text.slice(position, end));
      }
      position = newline + 1;
    }
    this.columns.longestLabelValue = this.longestLabelValue;
    return { ok: true, body: new ParsedBody(this.columns) };
  }

  /** Index after the metric name at `from` (`from` itself when there is none); no string is made for it. */
  readName(from: number, end: number): number {
    return scanName(this.text, from, end);
  }

  backslashIn(start: number, end: number): number {
    return this.#backslashes.firstIn(start, end);
  }

  fail(problem: string): void {
    this.problem = problem;
  }

  declareType(nameStart: number, nameEnd: number, typeIndex: number): void {
    this.columns.typeLines.add(nameStart, nameEnd, typeIndex);
  }

  get count(): number {
    return this.columns.samples.size;
  }

  /** The canonical key of kept sample `index`, rebuilt from the text (only when a run of keys stops increasing). */
  keyOf(index: number): string {
    const samples = this.columns.samples;
    const name = samples.runName(samples.runOf(index));
    const close = samples.labelEnds[index]!;
    if (close === 0) return name;
    if (close > 0) return this.text.slice(samples.opens[index]! - name.length, close);
    this.#reread(samples.opens[index]!, samples.lineEnds[index]!);
    return canonicalSeriesKey(name, this.labels);
  }

  /** Reads a label set with parseLabels, building its object. */
  #reread(open: number, end: number): number {
    return parseLabels(this.text, open, end, this);
  }

  private parseSample(start: number, end: number): void {
    const text = this.text;
    const nameEnd = this.readName(start, end);
    if (nameEnd === start) return this.fail('invalid metric name');
    let i = nameEnd;
    let code = text.charCodeAt(i);
    // promlex.l: blanks between tokens are optional and skipped, so `x {a="1"} 2` and `x{a="1"}2` are samples too.
    while (isBlank(code)) code = text.charCodeAt(++i);
    // The series' canonical text: the range [start, keyEnd) of the body when it is spelled so there, else `key`.
    let key: string | null = null;
    let keyEnd = nameEnd;
    let open = -1;
    let labelEnd = 0;
    let built: Record<string, string> | null = null;
    if (i < end && code === OPEN_BRACE) {
      open = i;
      i = scanLabels(text, open, end, this);
      if (i === LABELS_OUT_OF_ORDER) {
        // Names out of order may repeat one: the label object finds duplicates (and names them in the error).
        i = this.#reread(open, end);
        if (this.problem !== null) return;
        built = this.labels;
        for (const label in built) if (built[label]!.length > this.longestLabelValue) this.longestLabelValue = built[label]!.length;
      }
      if (this.problem !== null) return;
      if (built === null && this.canonical && open === nameEnd) {
        keyEnd = i;
        labelEnd = i;
      } else {
        if (built === null) {
          this.#reread(open, end);
          built = this.labels;
        }
        key = canonicalSeriesKey(text.slice(start, nameEnd), built);
        labelEnd = -i;
      }
      code = text.charCodeAt(i);
      while (isBlank(code)) code = text.charCodeAt(++i);
    }
    if (i >= end) return this.fail(`missing value for metric "${text.slice(start, nameEnd)}"`);
    i = scanValue(text, i, end, this);
    if (this.problem !== null) return;
    const value = this.value;
    let timestampMs = Number.NaN;
    code = text.charCodeAt(i);
    while (isBlank(code)) code = text.charCodeAt(++i);
    if (i < end) {
      i = scanTimestamp(text, i, end, this);
      if (this.problem !== null) return;
      timestampMs = this.value;
      code = text.charCodeAt(i);
      while (isBlank(code)) code = text.charCodeAt(++i);
      if (i < end) return this.fail('unexpected text after timestamp');
    }
    // A series written twice does not fail the scrape in Prometheus: the first sample is kept, later
    // ones are dropped (those with another value counted in prometheus_target_scrapes_sample_duplicate_timestamp_total).
    // Here every later one is counted.
    const c = this.columns;
    const newRun = !c.samples.lastRunIsNamed(start, nameEnd);
    if (!this.series.admit(newRun, start, nameEnd, key, start, keyEnd, this)) {
      c.duplicateSamples++;
      return;
    }
    const index = c.samples.size;
    if (this.sampleLimit > 0 && index >= this.sampleLimit) {
      this.problemCode = ErrorCode.ScrapeSampleLimit;
      return this.fail(`more than ${this.sampleLimit} samples (sample limit)`);
    }
    c.samples.push(newRun, start, nameEnd, open, end, labelEnd, value, timestampMs);
  }

  private failure(line: number, problem: string, lineText: string): ScanOutcome {
    return { ok: false, error: new ExpositionError(line, problem, lineText, this.problemCode) };
  }
}

/**
 * Checks a whole body (bytes are decoded as strict UTF-8 first) and keeps it
 * as offsets (ParsedBody): label objects are built only for the samples read.
 * Never throws: a body that is not valid text format yields `{ ok: false }`
 * with an ExpositionError naming the line, exactly as parseExposition does.
 */
export function scanExposition(body: Uint8Array | string, options: ParseOptions = {}): ScanOutcome {
  const text = typeof body === 'string' ? body : decodeBody(body);
  if (typeof text !== 'string') return { ok: false, error: text };
  const limit = options.sampleLimit;
  return new BodyParser(text, typeof limit === 'number' && limit > 0 ? limit : 0).scan();
}

/**
 * Parses a whole body into samples with their label objects (bytes are
 * decoded as strict UTF-8 first). Never throws: a body that is not valid
 * text format yields `{ ok: false }` with an ExpositionError naming the line.
 */
export function parseExposition(body: Uint8Array | string, options: ParseOptions = {}): ParseOutcome {
  const outcome = scanExposition(body, options);
  if (!outcome.ok) return outcome;
  return { ok: true, samples: outcome.body.samples(), types: outcome.body.types, duplicateSamples: outcome.body.duplicateSamples };
}
