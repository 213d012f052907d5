/**
 * Sample values and timestamps, parsed as strictly as Prometheus does (Go's
 * strconv.ParseFloat in decimal form): digits with an optional sign,
 * fraction and exponent, or NaN/Inf. JavaScript's Number() alone is too
 * lenient ("" → 0, "0x10" → 16, " 1 " → 1), so the syntax is checked first.
 */

const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const LOWER_E = 101;
const UPPER_E = 69;

const isDigit = (code: number) => code >= ZERO && code <= NINE;

/** Go accepts these spellings of the special values (case-insensitively). */
const SPECIAL_VALUES: Record<string, number> = {
  nan: Number.NaN,
  inf: Number.POSITIVE_INFINITY,
  '+inf': Number.POSITIVE_INFINITY,
  '-inf': Number.NEGATIVE_INFINITY,
  infinity: Number.POSITIVE_INFINITY,
  '+infinity': Number.POSITIVE_INFINITY,
  '-infinity': Number.NEGATIVE_INFINITY,
};

/** True when `text` is a decimal float literal: [+-] digits [. digits] [e [+-] digits]. */
function isDecimalLiteral(text: string): boolean {
  let i = 0;
  const end = text.length;
  const first = text.charCodeAt(0);
  if (first === PLUS || first === MINUS) i++;
  let mantissaDigits = 0;
  while (i < end && isDigit(text.charCodeAt(i))) {
    i++;
    mantissaDigits++;
  }
  if (i < end && text.charCodeAt(i) === DOT) {
    i++;
    while (i < end && isDigit(text.charCodeAt(i))) {
      i++;
      mantissaDigits++;
    }
  }
  if (mantissaDigits === 0) return false;
  if (i < end && (text.charCodeAt(i) === LOWER_E || text.charCodeAt(i) === UPPER_E)) {
    i++;
    const sign = text.charCodeAt(i);
    if (sign === PLUS || sign === MINUS) i++;
    let exponentDigits = 0;
    while (i < end && isDigit(text.charCodeAt(i))) {
      i++;
      exponentDigits++;
    }
    if (exponentDigits === 0) return false;
  }
  return i === end;
}

/** The value of a sample, or a reason it is invalid. */
export function parseSampleValue(text: string): number | string {
  if (isDecimalLiteral(text)) {
    const value = Number(text);
    // A finite literal that overflows is an error in Go (ErrRange), not +Inf.
    return Number.isFinite(value) ? value : `value out of range "${text}"`;
  }
  const special = SPECIAL_VALUES[text.toLowerCase()];
  return special === undefined ? `invalid number "${text}"` : special;
}

/** A timestamp in integer milliseconds, or a reason it is invalid. */
export function parseTimestamp(text: string): number | string {
  let i = text.charCodeAt(0) === MINUS ? 1 : 0;
  if (i === text.length) return `invalid timestamp "${text}"`;
  for (; i < text.length; i++) if (!isDigit(text.charCodeAt(i))) return `invalid timestamp "${text}"`;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : `timestamp out of range "${text}"`;
}
