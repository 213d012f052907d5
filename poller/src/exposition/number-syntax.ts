/**
 * Sample values and timestamps, parsed as strictly as Prometheus does (Go's
 * strconv.ParseFloat in decimal form): digits with an optional sign,
 * fraction and exponent, or NaN/Inf. JavaScript's Number() alone is too
 * lenient ("" → 0, "0x10" → 16, " 1 " → 1), so the syntax is checked here,
 * in place, while the digits are read.
 */
import { DOT, LOWER_E, MINUS, NINE, PLUS, UPPER_E, ZERO, isBlank, tokenEnd } from './scan.js';

/** Where a scan leaves its result, so the hot path returns an index and allocates nothing. */
export interface NumberSlot {
  value: number;
  /** Why the token is invalid; null when `value` holds the result. */
  problem: string | null;
}

/** Go accepts these spellings of the special values, case-insensitively (strconv's special()): no sign on NaN. */
const SPECIAL_VALUES = new Map<string, number>([
  ['nan', Number.NaN],
  ['inf', Number.POSITIVE_INFINITY],
  ['+inf', Number.POSITIVE_INFINITY],
  ['-inf', Number.NEGATIVE_INFINITY],
  ['infinity', Number.POSITIVE_INFINITY],
  ['+infinity', Number.POSITIVE_INFINITY],
  ['-infinity', Number.NEGATIVE_INFINITY],
]);

/** Powers of ten that are exact doubles (10^0 … 10^22). */
const EXACT_POWERS: readonly number[] = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
/** Mantissas of up to 15 digits are exact doubles (< 2^53). */
const MAX_EXACT_DIGITS = 15;

/**
 * Reads the value token at `from` (it ends at a blank or `end`) into `slot`
 * and returns the index after it.
 *
 * Short decimals take Clinger's fast path: an exact integer mantissa times
 * or divided by an exact power of ten is one correctly rounded operation, so
 * the result equals Number()'s. Anything longer goes through Number() on the
 * token, whose syntax has already been checked.
 */
export function scanValue(text: string, from: number, end: number, slot: NumberSlot): number {
  let i = from;
  let code = text.charCodeAt(i);
  const negative = code === MINUS;
  if (negative || code === PLUS) code = text.charCodeAt(++i);
  let mantissa = 0;
  let digits = 0;
  let fractionDigits = 0;
  while (i < end && code >= ZERO && code <= NINE) {
    mantissa = mantissa * 10 + (code - ZERO);
    digits++;
    code = text.charCodeAt(++i);
  }
  if (i < end && code === DOT) {
    code = text.charCodeAt(++i);
    while (i < end && code >= ZERO && code <= NINE) {
      mantissa = mantissa * 10 + (code - ZERO);
      digits++;
      fractionDigits++;
      code = text.charCodeAt(++i);
    }
  }
  if (digits === 0) return scanSpecial(text, from, end, slot);
  let exponent = 0;
  if (i < end && (code === LOWER_E || code === UPPER_E)) {
    code = text.charCodeAt(++i);
    const negativeExponent = code === MINUS;
    if (negativeExponent || code === PLUS) code = text.charCodeAt(++i);
    let exponentDigits = 0;
    while (i < end && code >= ZERO && code <= NINE) {
      if (exponent < 100_000) exponent = exponent * 10 + (code - ZERO); // capped: only the fast-path test reads it
      exponentDigits++;
      code = text.charCodeAt(++i);
    }
    if (exponentDigits === 0) return invalidNumber(text, from, end, slot);
    if (negativeExponent) exponent = -exponent;
  }
  if (i < end && !isBlank(code)) return invalidNumber(text, from, end, slot);
  const scale = exponent - fractionDigits;
  if (digits <= MAX_EXACT_DIGITS && scale >= -22 && scale <= 22) {
    const magnitude = scale >= 0 ? mantissa * EXACT_POWERS[scale]! : mantissa / EXACT_POWERS[-scale]!;
    slot.value = negative ? -magnitude : magnitude;
    slot.problem = null;
    return i;
  }
  const value = Number(text.slice(from, i));
  if (!Number.isFinite(value)) {
    // A finite literal that overflows is an error in Go (ErrRange), not +Inf.
    slot.problem = `value out of range "${text.slice(from, i)}"`;
    return i;
  }
  slot.value = value;
  slot.problem = null;
  return i;
}

function scanSpecial(text: string, from: number, end: number, slot: NumberSlot): number {
  const stop = tokenEnd(text, from, end);
  // The longest special spelling is "+infinity": nothing longer can be one.
  const special = stop - from <= 9 ? SPECIAL_VALUES.get(text.slice(from, stop).toLowerCase()) : undefined;
  if (special === undefined) return invalidNumber(text, from, end, slot);
  slot.value = special;
  slot.problem = null;
  return stop;
}

function invalidNumber(text: string, from: number, end: number, slot: NumberSlot): number {
  const stop = tokenEnd(text, from, end);
  slot.problem = `invalid number "${text.slice(from, stop)}"`;
  return stop;
}

/** Largest magnitudes of an int64, as decimal digits (positive and negative side). */
const INT64_MAX_DIGITS = '9223372036854775807';
const INT64_MIN_DIGITS = '9223372036854775808';

/**
 * Reads an integer millisecond timestamp (`[+-]?[0-9]+`, an int64, as Go's
 * strconv.ParseInt reads it for promtool's parser) into `slot`. Prometheus'
 * own lexer takes digits only; the sign is accepted because promtool's
 * parser accepts it and a stricter poller would call a healthy target down.
 * Beyond 2^53 the value is the nearest double: a JavaScript number cannot
 * hold every int64, and millisecond precision out there (year 287,000+) is
 * of no use to the poller.
 */
export function scanTimestamp(text: string, from: number, end: number, slot: NumberSlot): number {
  let i = from;
  let code = text.charCodeAt(i);
  const negative = code === MINUS;
  if (negative || code === PLUS) code = text.charCodeAt(++i);
  const digitsStart = i;
  let magnitude = 0;
  while (i < end && code >= ZERO && code <= NINE) {
    magnitude = magnitude * 10 + (code - ZERO);
    code = text.charCodeAt(++i);
  }
  const digits = i - digitsStart;
  const stop = i < end && !isBlank(code) ? tokenEnd(text, i, end) : i;
  if (digits === 0 || stop !== i) {
    slot.problem = `invalid timestamp "${text.slice(from, stop)}"`;
    return stop;
  }
  if (digits > MAX_EXACT_DIGITS) {
    let first = digitsStart;
    while (first < i - 1 && text.charCodeAt(first) === ZERO) first++;
    const significant = text.slice(first, i);
    const limit = negative ? INT64_MIN_DIGITS : INT64_MAX_DIGITS;
    if (significant.length > limit.length || (significant.length === limit.length && significant > limit)) {
      slot.problem = `timestamp out of range "${text.slice(from, i)}"`;
      return i;
    }
    magnitude = Number(significant);
  }
  slot.value = negative ? 0 - magnitude : magnitude; // 0 - 0 is +0: no "-0" timestamps
  slot.problem = null;
  return i;
}

/** The value of a whole sample-value token, or the reason it is invalid. */
export function parseSampleValue(token: string): number | string {
  const slot: NumberSlot = { value: 0, problem: null };
  const stop = scanValue(token, 0, token.length, slot);
  if (slot.problem !== null) return slot.problem;
  return stop === token.length ? slot.value : `invalid number "${token}"`;
}
