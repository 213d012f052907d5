/**
 * The one place text is cut to a length. A cut by `String.slice` can split a
 * UTF-16 surrogate pair (half an emoji), which makes the text invalid
 * Unicode: Slack may refuse the whole payload, and every alert carrying the
 * title would then be lost as a permanent 4xx (issue 11, fault 5). These cut
 * on grapheme-cluster boundaries (UAX #29, via Intl.Segmenter), so neither a
 * code point nor a user-perceived character (flag, ZWJ emoji, accent) is
 * split. Lengths are counted in UTF-16 code units, as Slack and JavaScript
 * count them, so a result is always within the stated limit.
 *
 * Callers redact BEFORE cutting: a secret cut in half no longer matches.
 */

const ELLIPSIS = '…';
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The longest prefix of `text` of at most `maxUnits` UTF-16 units that ends
 * on a grapheme boundary. Only the part near the cut is segmented, so a
 * 10 MiB input costs no more than a short one: a boundary at position p
 * depends only on the characters around p (UAX #29 rules look at most one
 * character ahead), and the prefix examined extends past `maxUnits`.
 */
export function graphemePrefix(text: string, maxUnits: number): string {
  const limit = Math.max(0, Math.floor(maxUnits));
  if (text.length <= limit) return text;
  const window = text.slice(0, limit + 2);
  let end = 0;
  for (const { index, segment } of segmenter.segment(window)) {
    const next = index + segment.length;
    if (next > limit) break;
    end = next;
  }
  return text.slice(0, end);
}

/**
 * `text` itself when it fits in `maxUnits` UTF-16 units, else a prefix cut on
 * a grapheme boundary followed by `…`, the whole at most `maxUnits` long.
 * Used for every Slack limit (header 150, section 3000, field 2000, text 40 000).
 */
export function cutText(text: string, maxUnits: number): string {
  if (text.length <= maxUnits) return text;
  if (maxUnits < ELLIPSIS.length) return graphemePrefix(text, maxUnits);
  return `${graphemePrefix(text, maxUnits - ELLIPSIS.length)}${ELLIPSIS}`;
}

/** Longest error message kept, stored or shown (status, page, rows, Slack, logs), in UTF-16 units. */
export const MAX_ERROR_LENGTH = 500;

/**
 * An error message bounded for storing and showing: unchanged when it fits
 * in `maxUnits`, else cut on a grapheme boundary and marked with the full
 * size, `"first part… (10485760 bytes)"`, so a reader knows how much was
 * left out. The result never exceeds `maxUnits` (default {@link MAX_ERROR_LENGTH}).
 * Redact first: the cut must not leave a fragment of a secret.
 */
export function boundMessage(text: string, maxUnits: number = MAX_ERROR_LENGTH): string {
  if (text.length <= maxUnits) return text;
  const suffix = `${ELLIPSIS} (${Buffer.byteLength(text, 'utf8')} bytes)`;
  if (suffix.length >= maxUnits) return cutText(text, maxUnits);
  return `${graphemePrefix(text, maxUnits - suffix.length)}${suffix}`;
}
