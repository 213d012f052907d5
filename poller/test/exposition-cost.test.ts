/**
 * Parse cost per family must not grow with the size of the body (fault 4:
 * a HELP check that searched to the next backslash anywhere made 40,000
 * families ten times slower per family than 1,000). Measured as a ratio of
 * per-family times within one run, on the same machine, never an absolute
 * time: 40 parses of a 1,000-family body against one parse of a
 * 40,000-family body, best of several rounds to leave out GC and scheduling.
 */
import { describe, expect, it } from 'vitest';
import { parseExposition } from '../src/exposition/index.js';

type Shape = (i: number) => string;

const shapes: Array<{ name: string; family: Shape; tail: string }> = [
  {
    name: 'HELP lines without a backslash, one at the end of the body',
    family: (i) => `# HELP family_${i} Short help text number ${i}.\n# TYPE family_${i} gauge\nfamily_${i} ${i}\n`,
    tail: '# last comment with a \\ backslash\n',
  },
  {
    name: 'every HELP line with escapes',
    family: (i) => `# HELP family_${i} Help with \\\\ and \\n escapes ${i}.\n# TYPE family_${i} gauge\nfamily_${i} ${i}\n`,
    tail: '',
  },
  {
    name: 'label values without escapes, one escaped value at the end',
    family: (i) => `# HELP family_${i} Help ${i}.\nfamily_${i}{path="/data/${i}",mode="rw"} ${i}\n`,
    tail: 'last{v="a\\"b"} 1\n',
  },
];

function body(families: number, shape: Shape, tail: string): string {
  const parts: string[] = [];
  for (let i = 0; i < families; i++) parts.push(shape(i));
  parts.push(tail);
  return parts.join('');
}

/** Nanoseconds for `runs` parses of `text`. */
function timeOf(text: string, runs: number): number {
  const start = process.hrtime.bigint();
  for (let run = 0; run < runs; run++) {
    const outcome = parseExposition(text);
    if (!outcome.ok) throw new Error(outcome.error.message);
  }
  return Number(process.hrtime.bigint() - start);
}

/**
 * Per-family time of the large body over that of the small one, the best of
 * each over interleaved rounds, so both sizes see the same machine load.
 */
function perFamilyRatio(small: string, large: string): number {
  timeOf(small, 40); // warm up the JIT on both sizes
  timeOf(large, 1);
  let bestSmall = Infinity;
  let bestLarge = Infinity;
  for (let round = 0; round < 7; round++) {
    bestSmall = Math.min(bestSmall, timeOf(small, 40));
    bestLarge = Math.min(bestLarge, timeOf(large, 1));
  }
  return bestLarge / bestSmall;
}

describe('parse cost per family is flat in body size (fault 4)', () => {
  it.each(shapes)('$name: 40k families cost under 3x per family what 1k do', ({ family, tail }) => {
    // 40 parses of 1k families and one of 40k parse the same number of families.
    const ratio = perFamilyRatio(body(1_000, family, tail), body(40_000, family, tail));
    expect(ratio).toBeLessThan(3);
  });
});
