// Parser throughput: our strict parser vs the npm parsers, same process, same bodies.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getMetricsFromIterator } from 'prom2javascript';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { parseExposition } from '../poller/dist/exposition/index.js';
import { median, spread, table } from './lib.js';

const fixture = (name) => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)));

const PARSERS = {
  'chroma-monitor (strict)': async (bytes) => {
    const outcome = parseExposition(bytes);
    if (!outcome.ok) throw new Error(outcome.error.message);
  },
  prom2javascript: async (bytes) => {
    await getMetricsFromIterator(bytes.toString('utf8').split('\n')[Symbol.iterator]());
  },
  'parse-prometheus-text-format': async (bytes) => {
    parsePrometheusTextFormat(bytes.toString('utf8'));
  },
};

/** Process CPU seconds (user + system): steadier than wall time on a shared machine, and it counts GC threads too. */
function cpuSeconds() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

async function samplesPerSecond(parse, bytes, samples, iterations) {
  for (let i = 0; i < Math.max(5, iterations / 10); i++) await parse(bytes); // warm-up
  const started = cpuSeconds();
  for (let i = 0; i < iterations; i++) await parse(bytes);
  return (samples * iterations) / (cpuSeconds() - started);
}

export async function run({ quick }) {
  const rounds = quick ? 3 : 5;
  const bodies = [
    { name: 'node_exporter (930 samples, 101 KB)', bytes: fixture('node_exporter-body.prom'), samples: 930, iterations: quick ? 100 : 400 },
    { name: 'prom-client defaults (65 samples, 7 KB)', bytes: fixture('promclient-default-body.prom'), samples: 65, iterations: quick ? 1000 : 4000 },
  ];
  const sections = [];
  for (const body of bodies) {
    const results = {};
    for (let round = 0; round < rounds; round++) {
      for (const [name, parse] of Object.entries(PARSERS)) {
        (results[name] ??= []).push(await samplesPerSecond(parse, body.bytes, body.samples, body.iterations));
      }
    }
    const ours = median(results['chroma-monitor (strict)']);
    sections.push(`**${body.name}**, ${rounds} rounds of ${body.iterations} parses each (samples per CPU second, median (min–max)):\n\n` +
      table(['parser', 'samples/s', 'chroma-monitor ÷ this'], Object.entries(results).map(([name, values]) => [name, spread(values.map((v) => v / 1000), 0) + 'k', (ours / median(values)).toFixed(2) + '×'])));
  }
  return { title: 'Parser throughput', markdown: sections.join('\n\n') };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log((await run({ quick: process.argv.includes('--quick') })).markdown);
