/**
 * What counts as a leaked secret in any output (issue 11, SPEC §8 Delivery):
 * the secret itself, its percent-encoding, `Basic base64(user:pw)` of the
 * credentials the tests use, and any fragment of 6 or more characters of a
 * secret (a cut that left part of one). Used by the whole-suite scan and by
 * tests that check one output.
 */

/** Every run of `size` characters in `secret`. */
export function fragmentsOf(secret: string, size = 6): string[] {
  if (secret.length <= size) return [secret];
  return Array.from({ length: secret.length - size + 1 }, (_, i) => secret.slice(i, i + size));
}

/** `user:password` pairs whose `Basic base64(…)` must never appear. */
export function basicForms(pairs: readonly string[]): string[] {
  return pairs.map((pair) => Buffer.from(pair, 'utf8').toString('base64'));
}

/** Needle → the secret (or Basic form) it gives away: what a leak check looks for. */
export function leakNeedles(secrets: readonly string[], basicPairs: readonly string[] = []): Map<string, string> {
  const needles = new Map<string, string>();
  for (const secret of secrets) {
    needles.set(secret, secret);
    needles.set(encodeURIComponent(secret), secret);
    // Fragments with a digit only: a run of letters ("target", "secret") is an ordinary word in ordinary output,
    // while "t0ken-" or "pa55wo" appears nowhere but in the secret. The test secrets are written leet-style for this.
    for (const fragment of fragmentsOf(secret)) if (/\d/.test(fragment) && !needles.has(fragment)) needles.set(fragment, secret);
  }
  for (const [i, form] of basicForms(basicPairs).entries()) {
    const label = `Basic base64(${basicPairs[i]!.split(':')[0]}:…)`;
    for (const fragment of fragmentsOf(form, 12)) if (!needles.has(fragment)) needles.set(fragment, label);
  }
  return needles;
}

/** The secrets (labels) any of whose needles is in `text`; empty when clean. */
export function findLeaks(text: string, needles: ReadonlyMap<string, string>): string[] {
  const found = new Set<string>();
  for (const [needle, description] of needles) if (text.includes(needle)) found.add(description);
  return [...found];
}
