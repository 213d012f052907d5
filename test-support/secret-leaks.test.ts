import { describe, expect, it } from 'vitest';
import { findLeaks, leakNeedles } from './secret-leaks.js';

describe('the whole-suite secret scan sees every form (issue 11)', () => {
  const needles = leakNeedles(['s3cret-token', 'target-t0ken-s3cret', 'pa55word'], ['scraper:pa55word', 's3cret-token:']);
  it.each([
    { name: 'the secret itself', text: 'x pa55word y', found: ['pa55word'] },
    { name: 'Basic base64(user:pw)', text: `authorization: Basic ${Buffer.from('scraper:pa55word').toString('base64')}`, found: ['Basic base64(scraper:…)'] },
    { name: 'Basic base64 of a URL username (token:)', text: `Basic ${Buffer.from('s3cret-token:').toString('base64')}`, found: ['Basic base64(s3cret-token:…)'] },
    { name: 'a URL username', text: 'GET https://s3cret-token@host/metrics', found: ['s3cret-token'] },
    { name: 'a query token, percent-encoded', text: `?token=${encodeURIComponent('target-t0ken-s3cret')}`, found: ['target-t0ken-s3cret'] },
    { name: 'a 6-character fragment left by a cut', text: 'echo targ-t0ken-s…', found: ['target-t0ken-s3cret'] },
    { name: 'ordinary words that happen to be in a secret are not leaks', text: '4 targets, a secret, a token', found: [] },
  ])('$name', ({ text, found }) => {
    const leaks = findLeaks(text, needles);
    if (found.length === 0) expect(leaks).toEqual([]);
    for (const secret of found) expect(leaks).toContain(secret);
  });
});
