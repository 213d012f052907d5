/**
 * The scrape path's check of a label set: the same grammar and the same
 * errors as parseLabels (label-set.ts), without building the label object
 * or any value string. Whether the set is spelled canonically (names sorted,
 * no blanks, no trailing comma) is still found, since the series key of a
 * canonical spelling is its own text.
 *
 * A name that does not sort after the one before it may repeat an earlier
 * name, which only the label object can tell cheaply: the scan then stops and
 * says so (LABELS_OUT_OF_ORDER), and the caller reads the set with
 * parseLabels, which reports the duplicate. Before that point both read the
 * same text the same way, so the first problem found, and its message, are
 * the same on either path.
 */
import { BACKSLASH, CLOSE_BRACE, COMMA, EQUALS, LOWER_N, QUOTE, isBlank, isLabelChar, isLabelStart, matchesAt } from './scan.js';

/** scanLabels' answer when the names are not strictly increasing: read the set with parseLabels instead. */
export const LABELS_OUT_OF_ORDER = -2;

/** Where scanLabels leaves its results; one per body, reused across its samples. */
export interface LabelCheck {
  /** The label text was already canonical: names sorted, no blanks, no trailing comma, not empty. */
  canonical: boolean;
  /** Why the label set is invalid; null when it parsed. */
  problem: string | null;
  /** Longest label value of the body so far, as written (escapes count two), in UTF-16 units. */
  longestLabelValue: number;
  /** The previous label set's names by position: the next set usually repeats them, so their strings are reused. */
  readonly labelNames: string[];
  /** Index of the first backslash in [start, end), or -1. */
  backslashIn(start: number, end: number): number;
}

/**
 * Checks `{name="value",...}` starting at the `{` and returns the index after
 * the `}`; -1 with `check.problem` set when it is invalid; LABELS_OUT_OF_ORDER
 * when a name does not sort after the previous one.
 */
export function scanLabels(text: string, open: number, end: number, check: LabelCheck): number {
  const labelNames = check.labelNames;
  let count = 0;
  let canonical = true;
  let previousName = '';
  let longest = check.longestLabelValue;
  let i = open + 1;
  for (;;) {
    let code = text.charCodeAt(i);
    if (isBlank(code)) {
      canonical = false;
      do code = text.charCodeAt(++i);
      while (isBlank(code));
    }
    if (i >= end) return fail(check, 'unterminated label set');
    if (code === CLOSE_BRACE) {
      // "{}" or a trailing comma: a spelling the canonical key does not use.
      check.canonical = false;
      check.longestLabelValue = longest;
      return i + 1;
    }
    let name = count < labelNames.length ? labelNames[count]! : '';
    if (name.length > 0 && matchesAt(text, i, name) && !isLabelChar(text.charCodeAt(i + name.length))) {
      i += name.length;
      code = text.charCodeAt(i);
    } else {
      if (!isLabelStart(code)) return fail(check, 'invalid label name');
      const nameStart = i;
      do code = text.charCodeAt(++i);
      while (i < end && isLabelChar(code));
      name = text.slice(nameStart, i);
      labelNames[count] = name;
    }
    if (count > 0 && name <= previousName) return LABELS_OUT_OF_ORDER;
    count++;
    previousName = name;
    if (isBlank(code)) {
      canonical = false;
      do code = text.charCodeAt(++i);
      while (isBlank(code));
    }
    if (i >= end || code !== EQUALS) return fail(check, `expected "=" after label name "${name}"`);
    code = text.charCodeAt(++i);
    if (isBlank(code)) {
      canonical = false;
      do code = text.charCodeAt(++i);
      while (isBlank(code));
    }
    if (i >= end || code !== QUOTE) return fail(check, `expected quoted value for label "${name}"`);
    const valueStart = i + 1;
    let quote = text.indexOf('"', valueStart);
    if (quote >= end) quote = -1;
    const backslash = check.backslashIn(valueStart, quote === -1 ? end : quote);
    if (backslash === -1) {
      if (quote === -1) return fail(check, `unterminated value for label "${name}"`);
      i = quote;
    } else {
      i = closingQuote(text, backslash, end);
      if (i === -1) return fail(check, `unterminated value for label "${name}"`);
      // A backslash kept as written is spelled `\\` in the canonical key, so this text is not canonical.
      if (hasVerbatimEscape(text, backslash, i)) canonical = false;
    }
    if (i - valueStart > longest) longest = i - valueStart;
    code = text.charCodeAt(++i);
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
      check.canonical = canonical;
      check.longestLabelValue = longest;
      return i + 1;
    }
    // promparse.go reads the next label name whether or not a comma came first.
    if (i < end && isLabelStart(code)) {
      canonical = false;
      continue;
    }
    return fail(check, `expected "," or "}" after label "${name}"`);
  }
}

/** The index of the quote closing a value whose first backslash is at `backslash`, or -1 when the line ends first. */
function closingQuote(text: string, backslash: number, end: number): number {
  let i = backslash;
  while (i < end) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) return i;
    if (code !== BACKSLASH) i++;
    else if (i + 1 >= end) return -1; // promlex.l: a backslash escapes the next character; at the line's end there is none
    else i += 2;
  }
  return -1;
}

/** Whether an escape in [backslash, quote) is other than `\\`, `\"` or `\n`: Prometheus keeps it as written. */
function hasVerbatimEscape(text: string, backslash: number, quote: number): boolean {
  for (let i = backslash; i < quote; i++) {
    if (text.charCodeAt(i) !== BACKSLASH) continue;
    const next = text.charCodeAt(++i);
    if (next !== BACKSLASH && next !== QUOTE && next !== LOWER_N) return true;
  }
  return false;
}

function fail(check: LabelCheck, problem: string): number {
  check.problem = problem;
  return -1;
}
