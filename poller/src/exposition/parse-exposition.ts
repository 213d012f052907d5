/**
 * A strict parser for the Prometheus text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/). Like
 * Prometheus, one bad line fails the whole body, and the error names the
 * line. It never throws: every outcome is a value.
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

/** Series names that belong to the histogram or summary family of their base name. */
const FAMILY_SUFFIXES = ['_bucket', '_sum', '_count'];

/** Per-body state; one per call, so nothing is shared between parses. */
class BodyParser implements CommentState, LabelScan, NumberSlot {
  readonly samples: Sample[] = [];
  readonly types = new Map<string, MetricType>();
  readonly helps = new Set<string>();
  /** Names with samples, and the histogram/summary families they may belong to: a later TYPE for them is an error. */
  readonly sampledFamilies = new Set<string>();
  readonly series = new SeriesIdentity();
  readonly labelNames: string[] = [];
  /** The metric name read last: consecutive lines of a family share one string (and its cached hash). */
  lastName = '';
  lastSampleName = '';
  /** Positions of the next NUL and backslash at or after the current line (-1: none left); -2: not searched yet. */
  nextNul = -2;
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
    return { ok: true, samples: this.samples, types: this.types };
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

  /** True when [start, end) holds a NUL. Lines are asked in order, so the search runs once per NUL, not once per line. */
  hasNul(start: number, end: number): boolean {
    if (this.nextNul !== -1 && this.nextNul < start) this.nextNul = this.text.indexOf('\u0000', start);
    return this.nextNul !== -1 && this.nextNul < end;
  }

  /** Index of the first backslash in [start, end), or -1; amortised like hasNul. */
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
    let labels = NO_LABELS as Record<string, string>;
    let key = name;
    if (code === OPEN_BRACE) {
      i = parseLabels(text, i, end, this);
      if (this.problem !== null) return;
      labels = this.labels;
      key = this.canonical ? text.slice(start, i) : canonicalSeriesKey(name, labels);
      code = text.charCodeAt(i);
    }
    if (i >= end) return this.fail(`missing value for metric "${name}"`);
    if (!isBlank(code)) return this.fail(`unexpected character after metric name "${name}"`);
    do code = text.charCodeAt(++i);
    while (isBlank(code));
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
    if (!this.series.admit(name, key, this.samples)) return this.fail(`duplicate series for metric "${name}"`);
    if (name !== this.lastSampleName) this.noteFamily(name);
    if (this.sampleLimit > 0 && this.samples.length >= this.sampleLimit) {
      this.problemCode = ErrorCode.ScrapeSampleLimit;
      return this.fail(`more than ${this.sampleLimit} samples (sample limit)`);
    }
    this.samples.push({ name, labels, value, timestampMs });
  }

  /** Once per run of samples with one name: the name and the family it may belong to (x_bucket → x). */
  private noteFamily(name: string): void {
    this.lastSampleName = name;
    if (this.sampledFamilies.has(name)) return;
    this.sampledFamilies.add(name);
    for (const suffix of FAMILY_SUFFIXES) if (name.endsWith(suffix)) this.sampledFamilies.add(name.slice(0, -suffix.length));
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
