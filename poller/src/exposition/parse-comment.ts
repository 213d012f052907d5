/**
 * Comment lines: `# HELP name text`, `# TYPE name type`, and plain comments,
 * read as Prometheus' scrape parser reads them (model/textparse/promlex.l and
 * promparse.go):
 * - HELP and TYPE are keywords only after `#` and at least one blank, and
 *   only when a blank follows them; `#HELP x` or `# HELP` alone is a comment.
 * - HELP text is not checked: Prometheus keeps it as it is (unknown escapes
 *   stay as written) and the poller has no use for it. Skipping it keeps the
 *   cost of a HELP line proportional to its length, nothing more.
 * - TYPE must name one of the five types, spelled exactly; a second TYPE for
 *   a name, or a TYPE after the name's samples, is accepted (Prometheus
 *   checks neither; its metadata cache keeps the latest, and so do we).
 * - NUL bytes in comments are accepted (Prometheus' lexer skips them there).
 */
import { SPACE, TAB, isBlank } from './scan.js';
import { METRIC_TYPES } from './type-lines.js';

/** What a comment line reads and records; the body parser provides it. */
export interface CommentState {
  readonly text: string;
  /** Records a TYPE line's declaration (the last one for a name wins): the name is text[nameStart, nameEnd), the type METRIC_TYPES[typeIndex]. */
  declareType(nameStart: number, nameEnd: number, typeIndex: number): void;
  /** Index after the metric name at `from`; `from` itself when there is none. */
  readName(from: number, end: number): number;
  fail(problem: string): void;
}

/** Index in METRIC_TYPES of the type spelled at [from, from + length), or -1; one comparison per TYPE line instead of a search with a closure. */
function typeAt(text: string, from: number, length: number): number {
  for (let k = 0; k < METRIC_TYPES.length; k++) {
    const candidate = METRIC_TYPES[k]!;
    if (candidate.length === length && text.startsWith(candidate, from)) return k;
  }
  return -1;
}

/** Which keyword a comment line [start, end) starts with (start is the `#`), or null for a plain comment. */
export function commentKeyword(text: string, start: number, end: number): 'HELP' | 'TYPE' | null {
  let i = start + 1;
  // promlex.l: `#[ \t]+` enters comment state; a `#` without a blank is a plain comment at once.
  if (i >= end || !isBlank(text.charCodeAt(i))) return null;
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  const after = text.charCodeAt(i + 4);
  if (i + 4 >= end || (after !== SPACE && after !== TAB)) return null;
  if (text.startsWith('HELP', i)) return 'HELP';
  if (text.startsWith('TYPE', i)) return 'TYPE';
  return null;
}

/** Reads the comment line [start, end) (start is the `#`); a problem is reported through `state.fail`. */
export function parseComment(state: CommentState, start: number, end: number): void {
  const keyword = commentKeyword(state.text, start, end);
  if (keyword === null) return;
  const text = state.text;
  let i = text.indexOf(keyword, start) + 5;
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  const nameStart = i;
  const nameEnd = state.readName(i, end);
  if (nameEnd === nameStart) return state.fail(`invalid metric name in ${keyword} line`);
  // HELP: whatever follows the name is its text, even without a blank between (promlex.l sMeta2 takes the rest of the line).
  if (keyword === 'HELP') return;
  i = nameEnd;
  if (i < end && !isBlank(text.charCodeAt(i))) return state.fail('invalid metric name in TYPE line');
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  readType(state, nameStart, nameEnd, i, end);
}

function readType(state: CommentState, nameStart: number, nameEnd: number, from: number, end: number): void {
  const text = state.text;
  let typeEnd = from;
  while (typeEnd < end && !isBlank(text.charCodeAt(typeEnd))) typeEnd++;
  const type = typeAt(text, from, typeEnd - from);
  if (type === -1) return state.fail(`unknown metric type "${text.slice(from, typeEnd)}"`);
  let i = typeEnd;
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  if (i !== end) return state.fail('unexpected text after metric type');
  state.declareType(nameStart, nameEnd, type);
}
