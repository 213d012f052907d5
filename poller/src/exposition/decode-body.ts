/** UTF-8 decoding of a scraped body; an invalid byte fails the scrape and names its line. */
import { TextDecoder } from 'node:util';
import { LF } from './scan.js';
import { ExpositionError } from './types.js';

/**
 * Decodes `body` strictly. `ignoreBOM: true` keeps a leading byte order mark
 * in the text (rather than dropping it silently) so the parser can reject
 * it as Prometheus does.
 */
export function decodeBody(body: Uint8Array): string | ExpositionError {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  try {
    return decoder.decode(body);
  } catch {
    // The fast path failed: find the first line that does not decode. A
    // multi-byte sequence never contains 0x0A, so lines decode independently.
    return invalidUtf8Line(body, decoder);
  }
}

function invalidUtf8Line(body: Uint8Array, decoder: TextDecoder): ExpositionError {
  let line = 1;
  let start = 0;
  while (start <= body.length) {
    let stop = body.indexOf(LF, start);
    if (stop === -1) stop = body.length;
    const bytes = body.subarray(start, stop);
    try {
      decoder.decode(bytes);
    } catch {
      const shown = new TextDecoder('utf-8').decode(bytes); // bad bytes shown as U+FFFD
      return new ExpositionError(line, 'invalid UTF-8', shown);
    }
    line++;
    start = stop + 1;
  }
  // Unreachable when the whole body failed to decode; kept so the function is total.
  return new ExpositionError(line - 1, 'invalid UTF-8', '');
}
