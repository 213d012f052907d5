/** Char-code scanning shared by the exposition parser's pieces: classes, blanks, tokens, names. */
import { ErrorCode } from '@chroma-monitor/shared';

export const TAB = 9;
export const LF = 10;
export const CR = 13;
export const SPACE = 32;
export const QUOTE = 34;
export const HASH = 35;
export const COMMA = 44;
export const EQUALS = 61;
export const BACKSLASH = 92;
export const OPEN_BRACE = 123;
export const CLOSE_BRACE = 125;
export const BOM = 0xfeff;

export const isBlank = (code: number) => code === SPACE || code === TAB;
export const isLetter = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
export const isDigit = (code: number) => code >= 48 && code <= 57;
export const isNameStart = (code: number) => isLetter(code) || code === 95 || code === 58; // _ :
export const isNameChar = (code: number) => isNameStart(code) || isDigit(code);
export const isLabelStart = (code: number) => isLetter(code) || code === 95;
export const isLabelChar = (code: number) => isLabelStart(code) || isDigit(code);

/** A problem found on a line; turned into an ExpositionError with the line number by the caller. */
export class LineProblem {
  constructor(
    readonly message: string,
    readonly code: ErrorCode = ErrorCode.ScrapeParse,
  ) {}
}

export function scanName(text: string, from: number, end: number): number {
  if (from >= end || !isNameStart(text.charCodeAt(from))) return from;
  let i = from + 1;
  while (i < end && isNameChar(text.charCodeAt(i))) i++;
  return i;
}

export function skipBlanks(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  return i;
}

export function tokenEnd(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && !isBlank(text.charCodeAt(i))) i++;
  return i;
}
