// Parse time per family at 1k, 10k and 40k families (issue 12: per-sample cost flat in body size).
// Usage: node bench/parse-curve.js   (after npx tsc -b). Best of 7 runs per size, CPU time.
import { parseExposition } from '../poller/dist/exposition/index.js';

const SHAPES = {
  'HELP + TYPE + sample': (i) => `# HELP metric_${i} Help text of metric ${i}.\n# TYPE metric_${i} gauge\nmetric_${i} ${i}\n`,
  'HELP with escapes': (i) => `# HELP metric_${i} A\\\\b and a \\n newline, ${i}.\n# TYPE metric_${i} gauge\nmetric_${i} ${i}\n`,
  'labelled samples': (i) => `# TYPE metric_${i} counter\nmetric_${i}_total{service="svc",path="/data/${i}",le="0.5"} ${i}\n`,
};

function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e3;
}

const rows = [];
for (const [shape, line] of Object.entries(SHAPES)) {
  const row = { shape };
  for (const families of [1_000, 10_000, 40_000]) {
    const body = Buffer.from(Array.from({ length: families }, (_, i) => line(i)).join(''));
    let best = Infinity;
    for (let run = 0; run < 7; run++) {
      const started = cpuMs();
      const outcome = parseExposition(body);
      const took = cpuMs() - started;
      if (!outcome.ok) throw new Error(outcome.error.message);
      best = Math.min(best, took);
    }
    row[`${families / 1000}k`] = `${((best * 1000) / families).toFixed(2)} µs`;
  }
  rows.push(row);
}
console.log(`| body | 1k families | 10k | 40k |\n|---|---|---|---|`);
for (const r of rows) console.log(`| ${r.shape} | ${r['1k']} | ${r['10k']} | ${r['40k']} |`);
