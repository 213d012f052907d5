/** Char codes and character classes shared by the exposition parser's pieces. */

export const TAB = 9;
export const LF = 10;
export const CR = 13;
export const SPACE = 32;
export const QUOTE = 34;
export const HASH = 35;
export const PLUS = 43;
export const COMMA = 44;
export const MINUS = 45;
export const DOT = 46;
export const ZERO = 48;
export const NINE = 57;
export const EQUALS = 61;
export const UPPER_E = 69;
export const BACKSLASH = 92;
export const LOWER_E = 101;
export const LOWER_N = 110;
export const OPEN_BRACE = 123;
export const CLOSE_BRACE = 125;
export const BOM = 0xfeff;

const NAME_START = 1; // [a-zA-Z_:]
const NAME_CHAR = 2; // [a-zA-Z0-9_:]
const LABEL_START = 4; // [a-zA-Z_]
const LABEL_CHAR = 8; // [a-zA-Z0-9_]

/** One lookup instead of several range comparisons per character; built once, never written after. */
const CLASSES: Uint8Array = (() => {
  const classes = new Uint8Array(128);
  const letter = NAME_START | NAME_CHAR | LABEL_START | LABEL_CHAR;
  for (let c = 65; c <= 90; c++) classes[c] = letter;
  for (let c = 97; c <= 122; c++) classes[c] = letter;
  for (let c = 48; c <= 57; c++) classes[c] = NAME_CHAR | LABEL_CHAR;
  classes[95] = letter; // _
  classes[58] = NAME_START | NAME_CHAR; // : (metric names only)
  return classes;
})();

export const isBlank = (code: number): boolean => code === SPACE || code === TAB;
export const isNameStart = (code: number): boolean => code < 128 && (CLASSES[code]! & NAME_START) !== 0;
export const isNameChar = (code: number): boolean => code < 128 && (CLASSES[code]! & NAME_CHAR) !== 0;
export const isLabelStart = (code: number): boolean => code < 128 && (CLASSES[code]! & LABEL_START) !== 0;
export const isLabelChar = (code: number): boolean => code < 128 && (CLASSES[code]! & LABEL_CHAR) !== 0;

/** Index after the metric name starting at `from` (`from` itself when there is none). */
export function scanName(text: string, from: number, end: number): number {
  if (from >= end || !isNameStart(text.charCodeAt(from))) return from;
  let i = from + 1;
  while (i < end && isNameChar(text.charCodeAt(i))) i++;
  return i;
}

/** Index of the first blank (or `end`) from `from`: the end of a value or timestamp token. */
export function tokenEnd(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && !isBlank(text.charCodeAt(i))) i++;
  return i;
}

/**
 * True when `text` holds `word` at `at` (the caller bounds `at + word.length`
 * by the line). Measured as fast as String#startsWith on Node 20 for the
 * body's names; kept as a loop so the cost does not depend on whether `word`
 * is a slice of the body (startsWith's fast path wants flat strings).
 */
export function matchesAt(text: string, at: number, word: string): boolean {
  const length = word.length;
  for (let k = 0; k < length; k++) if (text.charCodeAt(at + k) !== word.charCodeAt(k)) return false;
  return true;
}

/**
 * The first backslash in a range of a body, for label values. Values are
 * asked for in body order, so a forward query reuses the last search and the
 * native search runs once per backslash, not once per value (a body with one
 * backslash at its end would otherwise be searched to the end for every
 * value: quadratic). A query behind the last one (a label set read again)
 * scans only its own range.
 */
export class BackslashCursor {
  /** The first backslash at or after #from; -1 when there is none; -2 before the first search. */
  #at = -2;
  #from = 0;

  constructor(private readonly text: string) {}

  /** Index of the first backslash in [start, end), or -1. */
  firstIn(start: number, end: number): number {
    const text = this.text;
    if (start < this.#from) {
      for (let i = start; i < end; i++) if (text.charCodeAt(i) === BACKSLASH) return i;
      return -1;
    }
    if (this.#at !== -1 && this.#at < start) this.#at = text.indexOf('\\', start);
    this.#from = start;
    return this.#at !== -1 && this.#at < end ? this.#at : -1;
  }
}
