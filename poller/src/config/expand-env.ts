/**
 * `${NAME}` references in config strings, with the POSIX shell's parameter
 * expansion rules (IEEE Std 1003.1, "2.6.2 Parameter Expansion"), so secrets
 * and per-deployment values stay out of files:
 *
 * - `${NAME}`          the variable's value; unset or empty is a problem
 * - `${NAME:-default}` the value, or `default` when NAME is unset or empty
 * - `${NAME-default}`  the value, or `default` when NAME is unset (empty stays empty)
 *
 * `default` may itself hold references (`${PROBE_DATABASE_URL:-${DATABASE_URL}}`).
 * A value that expands to the empty string is treated as not written at all,
 * so `database_url: ${DATABASE_URL:-}` means "the embedded store when unset".
 * Each unset variable is reported once, at the first field that needs it.
 */
import type { ConfigProblem } from '@chroma-monitor/shared';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What expanding a document found wrong, keyed for one problem per cause. */
export interface ExpansionReport {
  /** Unset variables (no default) → the field paths that referenced them, in order. */
  unset: Map<string, string[]>;
  /** Malformed references, one per field. */
  malformed: ConfigProblem[];
  /** Field paths whose value was damaged by an unset variable or a malformed reference. */
  damagedPaths: Set<string>;
}

export const emptyReport = (): ExpansionReport => ({ unset: new Map(), malformed: [], damagedPaths: new Set() });

/** Index of the `}` closing the `${` whose body starts at `from`, or -1. */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text.startsWith('${', i)) {
      depth++;
      i++;
    } else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** Expands every reference in one string; unset names and malformed references go to `report` under `path`. */
export function expandString(text: string, env: NodeJS.ProcessEnv, path: string, report: ExpansionReport): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf('${', i);
    if (start < 0) break;
    out += text.slice(i, start);
    const end = closingBrace(text, start + 2);
    if (end < 0) {
      report.malformed.push({ path, message: 'unterminated "${" (write ${NAME} or ${NAME:-default})' });
      report.damagedPaths.add(path);
      return out + text.slice(start);
    }
    const body = text.slice(start + 2, end);
    const match = /^([^:-]*)(:-|-)?([\s\S]*)$/.exec(body)!;
    const [, name = '', operator, fallback = ''] = match;
    if (!NAME.test(name) || (operator === undefined && fallback !== '')) {
      report.malformed.push({ path, message: `"\${${body}}" is not a supported reference (write \${NAME}, \${NAME:-default} or \${NAME-default})` });
      report.damagedPaths.add(path);
    } else {
      const value = env[name];
      const useDefault = operator === ':-' ? value === undefined || value === '' : operator === '-' ? value === undefined : false;
      if (useDefault) out += expandString(fallback, env, path, report);
      else if (operator === '-' && value === '') {
        // `${NAME-default}` keeps a set-but-empty NAME empty, as the shell does.
      } else if (value === undefined || value === '') {
        const paths = report.unset.get(name) ?? [];
        paths.push(path);
        report.unset.set(name, paths);
        report.damagedPaths.add(path);
      } else out += value;
    }
    i = end + 1;
  }
  return out + text.slice(i);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** Marks "this value expanded to nothing": dropped from its parent mapping. */
const ABSENT = Symbol('absent');

function expandValue(value: unknown, env: NodeJS.ProcessEnv, path: string, report: ExpansionReport): unknown {
  if (typeof value === 'string') {
    if (!value.includes('${')) return value;
    const expanded = expandString(value, env, path, report);
    return expanded === '' ? ABSENT : expanded;
  }
  if (Array.isArray(value)) return value.map((item, i) => {
    const expanded = expandValue(item, env, `${path}[${i}]`, report);
    return expanded === ABSENT ? null : expanded;
  });
  if (isPlainObject(value)) {
    const entries = Object.entries(value).map(([key, item]) => [key, expandValue(item, env, path ? `${path}.${key}` : key, report)] as const);
    const kept = entries.filter(([, item]) => item !== ABSENT);
    // A mapping every written value of which expanded to nothing is itself not written.
    return kept.length === 0 && entries.length > 0 ? ABSENT : Object.fromEntries(kept);
  }
  return value;
}

/** Expands every string of a parsed YAML document. */
export function expandEnv(document: Record<string, unknown>, env: NodeJS.ProcessEnv, report: ExpansionReport): Record<string, unknown> {
  const expanded = expandValue(document, env, '', report);
  return expanded === ABSENT ? {} : (expanded as Record<string, unknown>);
}

/** One problem per unset variable, at the first field that needs it. */
export function unsetProblems(report: ExpansionReport): ConfigProblem[] {
  return [...report.unset].map(([name, paths]) => ({
    path: paths[0]!,
    message: `environment variable ${name} is not set${paths.length > 1 ? ` (also needed by ${[...new Set(paths.slice(1))].join(', ')})` : ''}; set it, or write \${${name}:-default}`,
  }));
}
