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
 */
import { ErrorCode } from '@chroma-monitor/shared';
import { decodeBody } from './decode-body.js';
import { NO_LABELS, parseLabels, type LabelScan } from './label-set.js';
import { scanTimestamp, scanValue, type NumberSlot } from './number-syntax.js';
import { parseComment, type CommentState } from './parse-comment.js';
import { BOM, CR, HASH, OPEN_BRACE, isBlank, isNameChar, matchesAt, scanName } from './scan.js';
import { SeriesIdentity, canonicalSeriesKey } from './series-identity.js';
import { ExpositionError, type MetricType, type ParseOptions, type ParseOutcome, type Sample } from './types.js';

/** Per-body state; one per call, so nothing is shared between parses. */
class BodyParser implements CommentState, LabelScan, NumberSlot {
  readonly samples: Sample[] = [];
  readonly types = new Map<string, MetricType>();
  readonly series = new SeriesIdentity();
  readonly labelNames: string[] = [];
  /** The metric name read last: consecutive lines of a family share one string (and its cached hash). */
  lastName = '';
  /** Samples of a series already seen in this body, dropped (Prometheus keeps the first). */
  duplicates = 0;
  /** Position of the next backslash at or after the current line (-1: none left); -2: not searched yet. */
  nextBackslash = -2;
  labels = NO_LABELS as Record<string, string>;
  canonical = true;
  value = 0;
  problem: string | null = null;
  problemCode: ErrorCode = ErrorCode.ScrapeParse;

  constructor(
    readonly text: string,
    private readonly sampleLimit: number,
  ) {}

  parse(): ParseOutcome {
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
    return { ok: true, samples: this.samples, types: this.types, duplicateSamples: this.duplicates };
  }

  /** The metric name at `from` (null when there is none), reusing the last name's string when it repeats. */
  readName(from: number, end: number): string | null {
    const text = this.text;
    const last = this.lastName;
    // `last` holds only name characters, so a match cannot run past the line.
    if (last.length > 0 && matchesAt(text, from, last) && !isNameChar(text.charCodeAt(from + last.length))) return last;
    const nameEnd = scanName(text, from, end);
    if (nameEnd === from) return null;
    const name = text.slice(from, nameEnd);
    this.lastName = name;
    return name;
  }

  /** Index of the first backslash in [start, end), or -1. Lines are asked in order, so the search runs once per backslash, not once per line. */
  backslashIn(start: number, end: number): number {
    if (this.nextBackslash !== -1 && this.nextBackslash < start) this.nextBackslash = this.text.indexOf('\\', start);
    return this.nextBackslash !== -1 && this.nextBackslash < end ? this.nextBackslash : -1;
  }

  fail(problem: string): void {
    this.problem = problem;
  }

  private parseSample(start: number, end: number): void {
    const text = this.text;
    const name = this.readName(start, end);
    if (name === null) return this.fail('invalid metric name');
    let i = start + name.length;
    let code = text.charCodeAt(i);
    // promlex.l: blanks between tokens are optional and skipped, so `x {a="1"} 2` and `x{a="1"}2` are samples too.
    while (isBlank(code)) code = text.charCodeAt(++i);
    let labels = NO_LABELS as Record<string, string>;
    let key = name;
    if (i < end && code === OPEN_BRACE) {
      const open = i;
      i = parseLabels(text, i, end, this);
      if (this.problem !== null) return;
      labels = this.labels;
      key = this.canonical && open === start + name.length ? text.slice(start, i) : canonicalSeriesKey(name, labels);
      code = text.charCodeAt(i);
      while (isBlank(code)) code = text.charCodeAt(++i);
    }
    if (i >= end) return this.fail(`missing value for metric "${name}"`);
    i = scanValue(text, i, end, this);
    if (this.problem !== null) return;
    const value = this.value;
    let timestampMs: number | null = null;
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
    if (!this.series.admit(name, key, this.samples)) {
      this.duplicates++;
      return;
    }
    if (this.sampleLimit > 0 && this.samples.length >= this.sampleLimit) {
      this.problemCode = ErrorCode.ScrapeSampleLimit;
      return this.fail(`more than ${this.sampleLimit} samples (sample limit)`);
    }
    this.samples.push({ name, labels, value, timestampMs });
  }

  private failure(line: number, problem: string, lineText: string): ParseOutcome {
    return { ok: false, error: new ExpositionError(line, problem, lineText, this.problemCode) };
  }
}

/**
 * Parses a whole body (bytes are decoded as strict UTF-8 first). Never
 * throws: a body that is not valid text format yields `{ ok: false }` with an
 * ExpositionError naming the line.
 */
export function parseExposition(body: Uint8Array | string, options: ParseOptions = {}): ParseOutcome {
  const text = typeof body === 'string' ? body : decodeBody(body);
  if (typeof text !== 'string') return { ok: false, error: text };
  const limit = options.sampleLimit;
  return new BodyParser(text, typeof limit === 'number' && limit > 0 ? limit : 0).parse();
}
