import { describe, expect, it } from 'vitest';
import { boundMessage, cutText, graphemePrefix, MAX_ERROR_LENGTH } from '../src/index.js';

/** True when `text` is well-formed UTF-16 (no lone surrogate). */
const wellFormed = (text: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

describe('cutText: cuts on grapheme boundaries, never inside a code point (issue 11, fault 5)', () => {
  it.each([
    { name: 'fits: unchanged', text: 'abc', max: 3, expected: 'abc' },
    { name: 'ASCII cut with an ellipsis', text: 'abcdef', max: 4, expected: 'abc…' },
    { name: 'fault 5: an emoji straddling the limit is dropped whole, not split', text: `${'a'.repeat(148)}🚨b`, max: 150, expected: `${'a'.repeat(148)}…` },
    { name: 'an emoji ending right at the limit is kept', text: `${'a'.repeat(147)}🚨bc`, max: 150, expected: `${'a'.repeat(147)}🚨…` },
    { name: 'a skin-tone emoji (4 units) is not split', text: 'ab👍🏽cd', max: 5, expected: 'ab…' },
    { name: 'a flag (two regional indicators) is not split', text: 'a🇫🇷b', max: 4, expected: 'a…' },
    { name: 'e + combining acute stays together', text: 'abe\u0301c', max: 4, expected: 'ab…' },
    { name: 'limit below the ellipsis: prefix only', text: 'abc', max: 0, expected: '' },
  ])('$name', ({ text, max, expected }) => {
    const cut = cutText(text, max);
    expect(cut).toBe(expected);
    expect(cut.length).toBeLessThanOrEqual(max);
    expect(wellFormed(cut)).toBe(true);
  });

  it('every cut of a string of emoji is well-formed and within the limit', () => {
    const text = '🚨⚠️✅👍🏽🇫🇷e\u0301'.repeat(20);
    for (let max = 0; max <= text.length + 1; max++) {
      const cut = cutText(text, max);
      expect(cut.length, `max ${max}`).toBeLessThanOrEqual(max);
      expect(wellFormed(cut), `max ${max}`).toBe(true);
    }
  });

  it('graphemePrefix of a 10 MiB string examines only the start', () => {
    const started = performance.now();
    expect(graphemePrefix('x'.repeat(10 * 1024 * 1024), 10)).toBe('x'.repeat(10));
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('boundMessage: errors kept, stored or shown are bounded and say how long they were', () => {
  it('a short message is unchanged', () => {
    expect(boundMessage('HTTP 500')).toBe('HTTP 500');
  });

  it('a 10 MiB message becomes at most MAX_ERROR_LENGTH units ending in "… (N bytes)"', () => {
    const bounded = boundMessage('e'.repeat(10 * 1024 * 1024));
    expect(bounded).toBe(`${'e'.repeat(MAX_ERROR_LENGTH - ' (10485760 bytes)'.length - 1)}… (10485760 bytes)`);
    expect(bounded.length).toBe(MAX_ERROR_LENGTH);
  });

  it('counts bytes in UTF-8 and never splits an emoji', () => {
    expect(boundMessage('🚨'.repeat(10), 15)).toBe('🚨… (40 bytes)');
  });
});
