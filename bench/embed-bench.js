// Embedding the exporter (goal 2 of issue 15): the RSS the exporter module adds to a Node service, measured
// as the same express service with and without it, idle and as scrapes of /metrics accumulate.
import { fileURLToPath } from 'node:url';
import { rssOverScrapes } from './footprint-bench.js';
import { breakdownTable, memoryProbe } from './memory-breakdown.js';
import { median, table } from './lib.js';

/** A difference in MB with its sign: "+2.9 MB", "−4.7 MB" (the service with the exporter can be the smaller one after a full GC). */
const signedMb = (mb) => `${mb < 0 ? '−' : '+'}${Math.abs(mb).toFixed(1)} MB`;

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const GOAL_MB = 8;

export async function run({ quick }) {
  const rounds = quick ? 1 : 3;
  const scrapes = quick ? 2_000 : 10_000;
  const step = 2_000;
  const probe = memoryProbe();
  const runs = { with: [], without: [] };
  try {
    for (let round = 0; round < rounds; round++) {
      for (const mode of ['without', 'with']) runs[mode].push(await rssOverScrapes((port) => [here('./embed-service.js'), String(port), mode], scrapes, step, probe));
    }
  } finally {
    probe.cleanup();
  }
  const steps = runs.with[0].points.map((p) => p.scrapes);
  const medianAt = (mode, i) => median(runs[mode].map((r) => r.points[i].rss));
  const added = steps.map((_, i) => medianAt('with', i) - medianAt('without', i));
  const idleAdded = added[0];
  const loadedAdded = added.at(-1);
  // The goal names no scrape count: the most it adds at any point of the series counts.
  const mostAdded = Math.max(...added);
  const met = mostAdded <= GOAL_MB;
  const last = (mode) => runs[mode].at(-1).loaded;
  const breakdown = breakdownTable([['with the exporter', last('with')], ['without', last('without')]], { diff: true });
  return {
    title: 'Embedding the exporter',
    markdown: [
      `An express service (bench/embed-service.js) with and without \`startResourceMonitoring()\` from the package entry \`@chroma-monitor/exporter\` (its defaults: prom-client's default metrics on) mounted on /metrics; without it /metrics answers a fixed text. RSS as scrapes of /metrics accumulate (autocannon, 1 connection), median of ${rounds} round(s):`,
      '',
      table(['scrapes', ...steps.map((n) => n.toLocaleString('en'))], [
        ['service without the exporter, RSS MB', ...steps.map((_, i) => medianAt('without', i).toFixed(1))],
        ['service with the exporter, RSS MB', ...steps.map((_, i) => medianAt('with', i).toFixed(1))],
        ['added by the exporter, MB', ...added.map((v) => v.toFixed(1))],
      ]),
      '',
      `Where the difference is after ${scrapes.toLocaleString('en')} scrapes (last round):`,
      '',
      breakdown,
    ].join('\n'),
    goals: [{
      id: 2,
      goal: `Embedding the exporter adds ≤ ${GOAL_MB} MB to a Node service (the same service without it)`,
      figure: `${signedMb(idleAdded)} idle, ${signedMb(loadedAdded)} after ${scrapes.toLocaleString('en')} scrapes, at most ${signedMb(mostAdded)} (after ${steps[added.indexOf(mostAdded)].toLocaleString('en')})`,
      peer: `the service without it: ${medianAt('without', 0).toFixed(1)} MB idle, ${medianAt('without', steps.length - 1).toFixed(1)} MB after`,
      ratio: `${(medianAt('with', 0) / medianAt('without', 0)).toFixed(2)}× idle, ${(medianAt('with', steps.length - 1) / medianAt('without', steps.length - 1)).toFixed(2)}× after`,
      rounds: `${rounds} round(s) of ${scrapes.toLocaleString('en')} scrapes`,
      met,
      profile: `The difference moves with each process's V8 heap sizing (rows of the table in “Embedding the exporter”). After the scrapes (last round), with minus without:\n\n${breakdown}`,
      section: 'Embedding the exporter',
    }],
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await run({ quick: process.argv.includes('--quick') });
  console.log(result.markdown, '\n', JSON.stringify(result.goals, null, 1));
}
