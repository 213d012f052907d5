/**
 * UTF-8 decoding of a scraped body. An invalid byte fails the scrape and
 * names its line, except in a plain comment: Prometheus checks UTF-8 in
 * label values and HELP text only (promparse.go), and names, values and
 * types cannot hold such bytes, so a comment is the one place it accepts them.
 */
import { Buffer, isAscii } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { commentKeyword } from './parse-comment.js';
import { HASH, LF, isBlank } from './scan.js';
import { ExpositionError } from './types.js';

/**
 * Decodes `body` strictly. `ignoreBOM: true` keeps a leading byte order mark
 * in the text (rather than dropping it silently) so the parser can reject
 * it as Prometheus does.
 *
 * A body of ASCII only (every exporter's, in practice) is valid UTF-8 and
 * reads the same as Latin-1, which Node copies byte for byte instead of
 * decoding; past about 1 MB it even keeps the text outside the V8 heap
 * (an external string). Measured on a 3 MB body, UTF-8 decoding was the
 * largest part of the scan; the ASCII check is a vectorised pass.
 */
export function decodeBody(body: Uint8Array): string | ExpositionError {
  if (isAscii(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('latin1');
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  try {
    return decoder.decode(body);
  } catch {
    // The fast path failed: find the first line that does not decode. A
    // multi-byte sequence never contains 0x0A, so lines decode independently.
    return invalidUtf8Line(body, decoder) ?? new TextDecoder('utf-8', { ignoreBOM: true }).decode(body);
  }
}

/** The error for the first line with invalid UTF-8 that is not a plain comment, or null when there is none. */
function invalidUtf8Line(body: Uint8Array, decoder: TextDecoder): ExpositionError | null {
  const lenient = new TextDecoder('utf-8', { ignoreBOM: true });
  let line = 1;
  let start = 0;
  while (start <= body.length) {
    let stop = body.indexOf(LF, start);
    if (stop === -1) stop = body.length;
    const bytes = body.subarray(start, stop);
    try {
      decoder.decode(bytes);
    } catch {
      const shown = lenient.decode(bytes); // bad bytes shown as U+FFFD
      if (!isPlainComment(shown)) return new ExpositionError(line, 'invalid UTF-8', shown);
    }
    line++;
    start = stop + 1;
  }
  return null;
}

function isPlainComment(line: string): boolean {
  let start = 0;
  while (start < line.length && isBlank(line.charCodeAt(start))) start++;
  return line.charCodeAt(start) === HASH && commentKeyword(line, start, line.length) === null;
}
