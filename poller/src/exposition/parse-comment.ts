/** Comment lines: `# HELP name text`, `# TYPE name type`, and plain comments. */
import { BACKSLASH, LOWER_N, SPACE, TAB, isBlank } from './scan.js';
import type { MetricType } from './types.js';

/** What a comment line reads and records; the body parser provides it. */
export interface CommentState {
  readonly text: string;
  readonly types: Map<string, MetricType>;
  readonly helps: Set<string>;
  readonly sampledFamilies: Set<string>;
  readName(from: number, end: number): string | null;
  hasNul(start: number, end: number): boolean;
  backslashIn(start: number, end: number): number;
  fail(problem: string): void;
}

/** The types TYPE may declare, spelled as Prometheus' scrape parser compares them: lower case, exactly. */
const METRIC_TYPES: readonly MetricType[] = ['counter', 'gauge', 'histogram', 'summary', 'untyped'];

/** Reads the comment line [start, end) (start is the `#`); a problem is reported through `state.fail`. */
export function parseComment(state: CommentState, start: number, end: number): void {
  const text = state.text;
  // A NUL is data only inside a label value; comments have none.
  if (state.hasNul(start, end)) return state.fail('unexpected NUL character');
  let i = start + 1;
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  // HELP and TYPE are keywords only when followed by a blank ("# HELP" alone is a comment, as in Prometheus' lexer).
  const after = text.charCodeAt(i + 4);
  if (i + 4 >= end || (after !== SPACE && after !== TAB)) return;
  const isHelp = text.startsWith('HELP', i);
  if (!isHelp && !text.startsWith('TYPE', i)) return;
  const keyword = isHelp ? 'HELP' : 'TYPE';
  i += 5;
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  const name = state.readName(i, end);
  if (name === null) return state.fail(`invalid metric name in ${keyword} line`);
  i += name.length;
  if (i < end && !isBlank(text.charCodeAt(i))) return state.fail(`invalid metric name in ${keyword} line`);
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  if (isHelp) return readHelp(state, name, i, end);
  return readType(state, name, i, end);
}

/** HELP text is not kept (the poller has no use for it), so its escapes are checked in place, not decoded. */
function readHelp(state: CommentState, name: string, from: number, end: number): void {
  if (state.helps.has(name)) return state.fail(`second HELP line for metric "${name}"`);
  const text = state.text;
  for (let i = state.backslashIn(from, end); i !== -1 && i < end; i = text.indexOf('\\', i + 2)) {
    const next = i + 1 < end ? text.charCodeAt(i + 1) : -1;
    if (next !== BACKSLASH && next !== LOWER_N) {
      return state.fail(`invalid escape sequence "\\${next === -1 ? '' : text[i + 1]}" in HELP text`);
    }
  }
  state.helps.add(name);
}

function readType(state: CommentState, name: string, from: number, end: number): void {
  const text = state.text;
  let typeEnd = from;
  while (typeEnd < end && !isBlank(text.charCodeAt(typeEnd))) typeEnd++;
  const type = METRIC_TYPES.find((candidate) => candidate.length === typeEnd - from && text.startsWith(candidate, from));
  if (type === undefined) return state.fail(`unknown metric type "${text.slice(from, typeEnd)}"`);
  let i = typeEnd;
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  if (i !== end) return state.fail('unexpected text after metric type');
  if (state.types.has(name)) return state.fail(`second TYPE line for metric "${name}"`);
  if (state.sampledFamilies.has(name)) return state.fail(`TYPE line for metric "${name}" after its samples`);
  state.types.set(name, type);
}
