import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseExposition, parseSampleValue, type Sample } from '../src/exposition/index.js';

const promClientBody = readFileSync(new URL('../../bench/fixtures/promclient-default-body.prom', import.meta.url));

/** Serialises samples back to exposition text, escaping as the format requires. */
function serialise(samples: Sample[]): string {
  const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return samples
    .map((s) => {
      const labels = Object.entries(s.labels).map(([k, v]) => `${k}="${escape(v)}"`).join(',');
      const value = Number.isNaN(s.value) ? 'NaN' : s.value === Infinity ? '+Inf' : s.value === -Infinity ? '-Inf' : String(s.value);
      return `${s.name}${labels ? `{${labels}}` : ''} ${value}${s.timestampMs === null ? '' : ` ${s.timestampMs}`}`;
    })
    .join('\n');
}

const metricName = fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,20}$/);
const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,10}$/);
const sampleArb = fc.record({
  name: metricName,
  labels: fc.dictionary(labelName, fc.string({ maxLength: 20 }), { maxKeys: 4 }),
  value: fc.oneof(fc.double(), fc.integer().map(Number)),
  timestampMs: fc.option(fc.integer({ min: -1e12, max: 1e13 }), { nil: null }),
});

/** Decimal literals as Go's ParseFloat reads them: sign, digits, fraction, exponent, in every combination. */
const decimalLiteral = fc
  .tuple(
    fc.constantFrom('', '+', '-'),
    fc.stringMatching(/^[0-9]{0,25}$/),
    fc.option(fc.stringMatching(/^[0-9]{0,25}$/), { nil: null }),
    fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.stringMatching(/^[0-9]{1,3}$/)), { nil: null }),
  )
  .filter(([, whole, fraction]) => whole.length + (fraction ?? '').length > 0)
  .map(([sign, whole, fraction, exponent]) => `${sign}${whole}${fraction === null ? '' : `.${fraction}`}${exponent === null ? '' : exponent.join('')}`);

describe('parseExposition: properties', () => {
  it('reads every decimal literal exactly as Number() does (or as out of range when it overflows)', () => {
    fc.assert(
      fc.property(decimalLiteral, (literal) => {
        const expected = Number(literal);
        const parsed = parseSampleValue(literal);
        if (Number.isFinite(expected)) expect(Object.is(parsed, expected)).toBe(true);
        else expect(parsed).toBe(`value out of range "${literal}"`);
      }),
      { numRuns: 5000 },
    );
  });

  it('never throws on random bytes, and always answers', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        const outcome = parseExposition(bytes);
        expect(typeof outcome.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on every truncation of a valid body', () => {
    for (let cut = 0; cut <= promClientBody.length; cut++) {
      const outcome = parseExposition(promClientBody.subarray(0, cut));
      expect(typeof outcome.ok).toBe('boolean');
    }
  });

  it('round-trips generated valid expositions', () => {
    fc.assert(
      fc.property(fc.uniqueArray(sampleArb, { selector: (s) => `${s.name}${JSON.stringify(Object.entries(s.labels).sort())}`, maxLength: 20 }), (samples) => {
        const outcome = parseExposition(serialise(samples));
        if (!outcome.ok) throw new Error(outcome.error.message);
        expect(outcome.samples).toHaveLength(samples.length);
        outcome.samples.forEach((parsed, i) => {
          const original = samples[i]!;
          expect(parsed.name).toBe(original.name);
          expect(parsed.labels).toEqual(original.labels);
          expect(Object.is(parsed.value, original.value) || parsed.value === original.value).toBe(true);
          expect(parsed.timestampMs).toBe(original.timestampMs);
        });
      }),
      { numRuns: 300 },
    );
  });
});
