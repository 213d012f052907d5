/**
 * Slack mrkdwn escaping and limits.
 *
 * `&`, `<` and `>` are the control characters of Slack's formatting (links,
 * mentions like <!channel>); Slack documents escaping them as HTML entities
 * (https://api.slack.com/reference/surfaces/formatting#escaping). For `*`,
 * `_`, `~` and `` ` `` (bold, italic, strike, code) Slack offers no escape at
 * all (jsx-slack's "About escape" notes the same), so in text a target
 * controls (error messages, label values) they are replaced by look-alike
 * characters that Slack does not format (issue 11, fault 6). Line breaks in
 * such text become spaces: a line starting with `>` would be a quote.
 */
import { cutText } from '@chroma-monitor/shared';

/** Look-alikes for Slack's formatting markers: ∗ (U+2217), ＿ (U+FF3F), ∼ (U+223C), ˋ (U+02CB). */
const FORMATTING_LOOKALIKES: Readonly<Record<string, string>> = { '*': '\u2217', _: '\uFF3F', '~': '\u223C', '`': '\u02CB' };

const WORD_CHAR = /^[\p{L}\p{N}]$/u;

/** Escapes `&`, `<`, `>` (links and mentions) in text we compose ourselves, keeping our own `*bold*`. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * For a value from outside (a target's error, a label value, a service name):
 * escapes links and mentions and neutralises every formatting marker, so it
 * shows as the literal text it is, on one line.
 */
export function escapeMrkdwnValue(text: string): string {
  return escapeMrkdwn(text)
    // A marker between two letters or digits (`chroma_primary`, `max_connections`) never formats in Slack: kept as is.
    .replace(/[*_~`]/g, (marker, at: number, all: string) =>
      marker !== '`' && WORD_CHAR.test(all[at - 1] ?? '') && WORD_CHAR.test(all[at + 1] ?? '') ? marker : FORMATTING_LOOKALIKES[marker]!,
    )
    .replace(/\s*[\r\n]+\s*/g, ' ');
}

/** Slack Block Kit limits (https://api.slack.com/reference/block-kit/blocks), in characters. */
export const SLACK_LIMITS = {
  headerText: 150,
  sectionText: 3000,
  fieldsPerSection: 10,
  fieldText: 2000,
  blocksPerMessage: 50,
  /** The top-level `text` of a message (https://api.slack.com/methods/chat.postMessage#truncating). */
  messageText: 40_000,
} as const;

/** Cuts `text` to `max` characters with an ellipsis, never inside a code point or grapheme (shared cutText). */
export function truncate(text: string, max: number): string {
  return cutText(text, max);
}
