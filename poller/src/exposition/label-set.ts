/**
 * Label sets: `{a="x",b="y"}`, with the escapes `\\`, `\"` and `\n`, read
 * as Prometheus' scrape parser reads them (model/textparse/promlex.l,
 * promparse.go): a trailing comma and blanks anywhere between tokens are
 * allowed, so is a missing comma between two labels (`{a="1" b="2"}`), and a
 * backslash before any other character is kept as written (`\t` stays a
 * backslash and a `t`), as Prometheus' unescaping leaves it.
 */
import { BACKSLASH, CLOSE_BRACE, COMMA, EQUALS, LOWER_N, QUOTE, isBlank, isLabelChar, isLabelStart, matchesAt } from './scan.js';

/**
 * The labels of every sample without labels: one shared object, frozen so
 * that a caller writing to one sample's labels cannot change every other's.
 */
export const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});

/** Where parseLabels leaves its results; one per body, reused across its samples. */
export interface LabelScan {
  labels: Record<string, string>;
  /** The label text was already canonical: names sorted, no blanks, no trailing comma, not empty. */
  canonical: boolean;
  /** Why the label set is invalid; null when it parsed. */
  problem: string | null;
  /** The previous label set's names by position: the next set usually repeats them, so their strings are reused. */
  readonly labelNames: string[];
  /** Index of the first backslash in [start, end), or -1. */
  backslashIn(start: number, end: number): number;
}

/**
 * Parses `{name="value",...}` starting at the `{` and returns the index after
 * the `}`; on a problem, sets `scan.problem` (the return value is then meaningless).
 *
 * Label values, most of a body's bytes, are found with native searches (the
 * closing quote, and whether a backslash comes first) rather than char by char.
 */
export function parseLabels(text: string, open: number, end: number, scan: LabelScan): number {
  const labelNames = scan.labelNames;
  let labels: Record<string, string> | null = null;
  let count = 0;
  let canonical = true;
  // While names arrive strictly increasing none can repeat, so the duplicate lookup is only paid after a step back.
  let sorted = true;
  let previousName = '';
  let i = open + 1;
  for (;;) {
    let code = text.charCodeAt(i);
    if (isBlank(code)) {
      canonical = false;
      do code = text.charCodeAt(++i);
      while (isBlank(code));
    }
    if (i >= end) return fail(scan, 'unterminated label set');
    if (code === CLOSE_BRACE) {
      // "{}" or a trailing comma: a spelling the canonical key does not use.
      scan.labels = labels ?? (NO_LABELS as Record<string, string>);
      scan.canonical = false;
      return i + 1;
    }
    let name = count < labelNames.length ? labelNames[count]! : '';
    if (name.length > 0 && matchesAt(text, i, name) && !isLabelChar(text.charCodeAt(i + name.length))) {
      i += name.length;
      code = text.charCodeAt(i);
    } else {
      if (!isLabelStart(code)) return fail(scan, 'invalid label name');
      const nameStart = i;
      do code = text.charCodeAt(++i);
      while (i < end && isLabelChar(code));
      name = text.slice(nameStart, i);
      labelNames[count] = name;
    }
    count++;
    if (isBlank(code)) {
      canonical = false;
      do code = text.charCodeAt(++i);
      while (isBlank(code));
    }
    if (i >= end || code !== EQUALS) return fail(scan, `expected "=" after label name "${name}"`);
    code = text.charCodeAt(++i);
    if (isBlank(code)) {
      canonical = false;
      do code = text.charCodeAt(++i);
      while (isBlank(code));
    }
    if (i >= end || code !== QUOTE) return fail(scan, `expected quoted value for label "${name}"`);
    const valueStart = i + 1;
    let quote = text.indexOf('"', valueStart);
    if (quote >= end) quote = -1;
    const backslash = scan.backslashIn(valueStart, quote === -1 ? end : quote);
    let value: string;
    if (backslash === -1) {
      if (quote === -1) return fail(scan, `unterminated value for label "${name}"`);
      value = text.slice(valueStart, quote);
      i = quote + 1;
    } else {
      const escaped = unescapeValue(text, valueStart, backslash, end, name, scan);
      if (escaped === null) return -1;
      value = escaped.value;
      i = escaped.close + 1;
      // A backslash kept as written is spelled `\\` in the canonical key, so this text is not canonical.
      if (escaped.verbatim) canonical = false;
    }
    if (labels === null) {
      labels = {};
    } else if (!sorted || name <= previousName) {
      sorted = false;
      canonical = false;
      if (Object.hasOwn(labels, name)) return fail(scan, `duplicate label name "${name}"`);
    }
    previousName = name;
    // `__proto__` is a valid label name; a plain assignment would set the prototype instead.
    if (name === '__proto__') Object.defineProperty(labels, name, { value, enumerable: true, writable: true, configurable: true });
    else labels[name] = value;
    code = text.charCodeAt(i);
    if (isBlank(code)) {
      canonical = false;
      do code = text.charCodeAt(++i);
      while (isBlank(code));
    }
    if (i < end && code === COMMA) {
      i++;
      continue;
    }
    if (i < end && code === CLOSE_BRACE) {
      scan.labels = labels;
      scan.canonical = canonical;
      return i + 1;
    }
    // promparse.go reads the next label name whether or not a comma came first.
    if (i < end && isLabelStart(code)) {
      canonical = false;
      continue;
    }
    return fail(scan, `expected "," or "}" after label "${name}"`);
  }
}

/** The slow path of a label value with escapes, from its first backslash to the closing quote. */
function unescapeValue(text: string, start: number, backslash: number, end: number, name: string, scan: LabelScan): { value: string; close: number; verbatim: boolean } | null {
  let value = '';
  let verbatim = false;
  let chunkStart = start;
  let i = backslash;
  while (i < end) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) return { value: value + text.slice(chunkStart, i), close: i, verbatim };
    if (code !== BACKSLASH) {
      i++;
      continue;
    }
    value += text.slice(chunkStart, i);
    const next = i + 1 < end ? text.charCodeAt(i + 1) : -1;
    if (next === BACKSLASH) value += '\\';
    else if (next === QUOTE) value += '"';
    else if (next === LOWER_N) value += '\n';
    else if (next === -1) break; // promlex.l: a backslash escapes the next character; at the line's end there is none
    else {
      // Any other escaped character is part of the value; Prometheus' unescaping keeps both as written.
      value += '\\' + text[i + 1];
      verbatim = true;
    }
    i += 2;
    chunkStart = i;
  }
  fail(scan, `unterminated value for label "${name}"`);
  return null;
}

function fail(scan: LabelScan, problem: string): number {
  scan.problem = problem;
  return -1;
}
