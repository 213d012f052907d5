/**
 * A strict parser for the Prometheus text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/). Like
 * Prometheus, one bad line fails the whole body, and the error names the
 * line. It never throws: every outcome is a value.
 *
 * Hand-written over char codes because the poller parses every target every
 * interval; see BENCHMARKS.md for the comparison with the npm parsers.
 */
import { parseSampleValue, parseTimestamp } from './number-syntax.js';
import { ErrorCode } from '@chroma-monitor/shared';
import { parseLabels, seriesKey } from './label-set.js';
import { BACKSLASH, BOM, CR, HASH, LF, LineProblem, OPEN_BRACE, isBlank, scanName, skipBlanks, tokenEnd } from './scan.js';
import { ExpositionError, type MetricType, type ParseOptions, type ParseOutcome, type Sample } from './types.js';

const METRIC_TYPES = new Set<string>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
/** Series names that belong to a histogram or summary family of the base name. */
const FAMILY_SUFFIXES = ['_bucket', '_sum', '_count', '_total', '_created'];

/** Per-body state: what was declared and seen so far. */
interface BodyState {
  samples: Sample[];
  types: Map<string, MetricType>;
  helps: Set<string>;
  /** Metric names and their histogram/summary family names that have samples: a later TYPE for them is an error. */
  sampledFamilies: Set<string>;
  seriesKeys: Set<string>;
  /** Set by parseLabels: the label text was already canonical (sorted names, no blanks, no trailing comma). */
  labelsCanonical: boolean;
  sampleLimit: number;
}

/** Decodes bytes as UTF-8, failing on the first invalid sequence with its line number. */
function decode(body: Uint8Array): string | ExpositionError {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    let line = 1;
    let start = 0;
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    for (let i = 0; i <= body.length; i++) {
      if (i < body.length && body[i] !== LF) continue;
      try {
        decoder.decode(body.subarray(start, i));
      } catch {
        const shown = new TextDecoder('utf-8').decode(body.subarray(start, i));
        return new ExpositionError(line, 'invalid UTF-8', shown);
      }
      line++;
      start = i + 1;
    }
    return new ExpositionError(line, 'invalid UTF-8', '');
  }
}

/**
 * HELP text allows only the escapes `\\` and `\n`. The text itself is not
 * kept (the poller has no use for it), so it is checked in place, not copied.
 */
function checkHelpEscapes(text: string, from: number, end: number): LineProblem | null {
  for (let i = text.indexOf('\\', from); i !== -1 && i < end; i = text.indexOf('\\', i + 2)) {
    const next = text.charCodeAt(i + 1);
    if (i + 1 >= end || (next !== BACKSLASH && next !== 110)) {
      return new LineProblem(`invalid escape sequence "\\${i + 1 < end ? text[i + 1] : ''}" in HELP text`);
    }
  }
  return null;
}

function parseComment(text: string, start: number, end: number, state: BodyState): LineProblem | null {
  let i = skipBlanks(text, start + 1, end);
  const keywordEnd = tokenEnd(text, i, end);
  const keyword = keywordEnd - i !== 4 ? null : text.startsWith('HELP', i) ? 'HELP' : text.startsWith('TYPE', i) ? 'TYPE' : null;
  if (keyword === null) return null; // an ordinary comment
  i = skipBlanks(text, keywordEnd, end);
  const nameEnd = scanName(text, i, end);
  if (nameEnd === i || (nameEnd < end && !isBlank(text.charCodeAt(nameEnd)))) {
    return new LineProblem(`invalid metric name in ${keyword} line`);
  }
  const name = text.slice(i, nameEnd);
  i = skipBlanks(text, nameEnd, end);
  if (keyword === 'HELP') {
    if (state.helps.has(name)) return new LineProblem(`second HELP line for metric "${name}"`);
    const problem = checkHelpEscapes(text, i, end);
    if (problem) return problem;
    state.helps.add(name);
    return null;
  }
  const typeEnd = tokenEnd(text, i, end);
  const type = text.slice(i, typeEnd).toLowerCase();
  if (!METRIC_TYPES.has(type)) return new LineProblem(`unknown metric type "${text.slice(i, typeEnd)}"`);
  if (skipBlanks(text, typeEnd, end) !== end) return new LineProblem('unexpected text after metric type');
  if (state.types.has(name)) return new LineProblem(`second TYPE line for metric "${name}"`);
  if (state.sampledFamilies.has(name)) {
    return new LineProblem(`TYPE line for metric "${name}" after its samples`);
  }
  state.types.set(name, type as MetricType);
  return null;
}

function parseSample(text: string, start: number, end: number, state: BodyState): LineProblem | null {
  const nameEnd = scanName(text, start, end);
  if (nameEnd === start) return new LineProblem('invalid metric name');
  const name = text.slice(start, nameEnd);
  const labels: Record<string, string> = {};
  let i = nameEnd;
  let rawLabels: string | null = null;
  if (text.charCodeAt(i) === OPEN_BRACE) {
    const after = parseLabels(text, i, end, labels, state);
    if (after instanceof LineProblem) return after;
    if (state.labelsCanonical) rawLabels = text.slice(i, after);
    i = after;
  }
  if (i < end && !isBlank(text.charCodeAt(i))) return new LineProblem(`unexpected character after metric name "${name}"`);
  i = skipBlanks(text, i, end);
  if (i >= end) return new LineProblem(`missing value for metric "${name}"`);
  const valueEnd = tokenEnd(text, i, end);
  const value = parseSampleValue(text.slice(i, valueEnd));
  if (typeof value === 'string') return new LineProblem(value);
  i = skipBlanks(text, valueEnd, end);
  let timestampMs: number | null = null;
  if (i < end) {
    const timestampEnd = tokenEnd(text, i, end);
    const timestamp = parseTimestamp(text.slice(i, timestampEnd));
    if (typeof timestamp === 'string') return new LineProblem(timestamp);
    timestampMs = timestamp;
    if (skipBlanks(text, timestampEnd, end) !== end) return new LineProblem('unexpected text after timestamp');
  }
  const key = seriesKey(name, labels, rawLabels);
  if (state.seriesKeys.has(key)) return new LineProblem(`duplicate series for metric "${name}"`);
  state.seriesKeys.add(key);
  if (!state.sampledFamilies.has(name)) {
    // Once per distinct name: the name and the family it may belong to (x_bucket → x).
    state.sampledFamilies.add(name);
    for (const suffix of FAMILY_SUFFIXES) if (name.endsWith(suffix)) state.sampledFamilies.add(name.slice(0, -suffix.length));
  }
  if (state.sampleLimit > 0 && state.samples.length >= state.sampleLimit) {
    return new LineProblem(`more than ${state.sampleLimit} samples (sample limit)`, ErrorCode.ScrapeSampleLimit);
  }
  state.samples.push({ name, labels, value, timestampMs });
  return null;
}

/** Parses a whole body. Never throws. */
export function parseExposition(body: Uint8Array | string, options: ParseOptions = {}): ParseOutcome {
  const decoded = typeof body === 'string' ? body : decode(body);
  if (decoded instanceof ExpositionError) return { ok: false, error: decoded };
  const text = decoded;
  const state: BodyState = {
    samples: [],
    types: new Map(),
    helps: new Set(),
    sampledFamilies: new Set(),
    seriesKeys: new Set(),
    labelsCanonical: true,
    sampleLimit: options.sampleLimit ?? 0,
  };
  // Prometheus does not skip a byte order mark: it is not a valid start of a line.
  if (text.charCodeAt(0) === BOM) {
    return { ok: false, error: new ExpositionError(1, 'byte order mark is not allowed', text.slice(1, text.indexOf('\n') >>> 0)) };
  }
  let line = 0;
  let position = 0;
  const length = text.length;
  while (position < length) {
    let newline = text.indexOf('\n', position);
    if (newline === -1) newline = length;
    line++;
    let end = newline;
    if (end > position && text.charCodeAt(end - 1) === CR) end--;
    const start = skipBlanks(text, position, end);
    if (start < end) {
      const problem =
        text.charCodeAt(start) === HASH ? parseComment(text, start, end, state) : parseSample(text, start, end, state);
      if (problem) {
        return { ok: false, error: new ExpositionError(line, problem.message, text.slice(position, end), problem.code) };
      }
    }
    position = newline + 1;
  }
  return { ok: true, samples: state.samples, types: state.types };
}
