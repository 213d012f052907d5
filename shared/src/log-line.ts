/**
 * One log line, safe to write: a message that carries text from outside (a
 * Slack reply, a PostgreSQL error, a target's body) must not forge extra
 * lines, colour the terminal or set its title (issue 11, fault 18), and one
 * line must not be 10 MiB. Control characters (C0, DEL, C1, and the Unicode
 * line/paragraph separators) are written as visible escapes, `\n`, `\x1b`,
 * `\u2028`; then the line is bounded with its size.
 */
import { boundMessage } from './text-cut.js';

/** Longest message in one log line, in UTF-16 units. */
export const MAX_LOG_MESSAGE_LENGTH = 4_096;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` with every control character escaped, so it prints as exactly one line. */
export function escapeControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    if (NAMED[c]) return NAMED[c];
    const code = c.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/** A message ready for one log line: control characters escaped, then bounded ("… (N bytes)"). Redact BEFORE this. */
export function logLine(message: string, maxUnits: number = MAX_LOG_MESSAGE_LENGTH): string {
  return boundMessage(escapeControl(message), maxUnits);
}
