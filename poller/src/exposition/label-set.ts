/** Label sets (`{a="x",b="y"}`) and the identity of a series. */
import { CLOSE_BRACE, COMMA, EQUALS, QUOTE, BACKSLASH, LineProblem, isBlank, isLabelChar, isLabelStart, skipBlanks } from './scan.js';

/** Set by parseLabels: whether the label text was already canonical (sorted names, no blanks, no trailing comma). */
export interface LabelScan {
  labelsCanonical: boolean;
}

/** Parses `{name="value",...}` starting at the `{`; returns the index after `}`. */
export function parseLabels(text: string, start: number, end: number, labels: Record<string, string>, state: LabelScan): number | LineProblem {
  let i = start + 1;
  let canonical = true;
  let previousName = '';
  for (;;) {
    const before = i;
    i = skipBlanks(text, i, end);
    if (i !== before) canonical = false;
    if (i >= end) return new LineProblem('unterminated label set');
    if (text.charCodeAt(i) === CLOSE_BRACE) {
      state.labelsCanonical = false; // "{}" or a trailing comma: rebuild the key
      return i + 1;
    }
    const nameStart = i;
    if (!isLabelStart(text.charCodeAt(i))) return new LineProblem('invalid label name');
    i++;
    while (i < end && isLabelChar(text.charCodeAt(i))) i++;
    const name = text.slice(nameStart, i);
    if (name <= previousName) canonical = false;
    previousName = name;
    if (isBlank(text.charCodeAt(i))) canonical = false;
    i = skipBlanks(text, i, end);
    if (text.charCodeAt(i) !== EQUALS) return new LineProblem(`expected "=" after label name "${name}"`);
    if (isBlank(text.charCodeAt(i + 1))) canonical = false;
    i = skipBlanks(text, i + 1, end);
    if (text.charCodeAt(i) !== QUOTE) return new LineProblem(`expected quoted value for label "${name}"`);
    i++;
    let value = '';
    let chunkStart = i;
    for (;;) {
      if (i >= end) return new LineProblem(`unterminated value for label "${name}"`);
      const code = text.charCodeAt(i);
      if (code === QUOTE) break;
      if (code === BACKSLASH) {
        value += text.slice(chunkStart, i);
        const next = text.charCodeAt(i + 1);
        if (next === BACKSLASH) value += '\\';
        else if (next === QUOTE) value += '"';
        else if (next === 110) value += '\n'; // n
        else return new LineProblem(`invalid escape sequence "\\${text[i + 1] ?? ''}" in label "${name}"`);
        i += 2;
        chunkStart = i;
        continue;
      }
      i++;
    }
    value += text.slice(chunkStart, i);
    i++;
    if (Object.prototype.hasOwnProperty.call(labels, name)) return new LineProblem(`duplicate label name "${name}"`);
    labels[name] = value;
    if (isBlank(text.charCodeAt(i))) canonical = false;
    i = skipBlanks(text, i, end);
    const separator = text.charCodeAt(i);
    if (separator === COMMA) {
      i++;
      if (text.charCodeAt(skipBlanks(text, i, end)) === CLOSE_BRACE) canonical = false; // trailing comma
      continue;
    }
    if (separator === CLOSE_BRACE) {
      state.labelsCanonical = canonical;
      return i + 1;
    }
    return new LineProblem(`expected "," or "}" after label "${name}"`);
  }
}

const escapeLabelValue = (value: string) => value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));

/**
 * The identity of a series: its canonical text `name{a="x",b="y"}` (names
 * sorted, values escaped as the format writes them). Most exporters already
 * write labels that way, so the raw text is used as is when it is canonical,
 * and only other spellings are rebuilt: the same series written two ways
 * still collides.
 */
export function seriesKey(name: string, labels: Record<string, string>, rawLabels: string | null): string {
  if (rawLabels !== null) return name + rawLabels;
  const names = Object.keys(labels);
  if (names.length === 0) return name;
  if (names.length > 1) names.sort();
  return `${name}{${names.map((label) => `${label}="${escapeLabelValue(labels[label]!)}"`).join(',')}}`;
}
