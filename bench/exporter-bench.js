// CPU per fresh reading: the chroma-exporter sidecar vs a bare prom-client server, each in its own process,
// all scraped together once every 250 ms (longer than the exporter's sharing window, so every scrape of
// the exporter pays for a fresh reading). Goal 7 of issue 15.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SNAPSHOT_REUSE_MS } from '../exporter/dist/resource-sampler.js';
import { cpuProfileArgs, EXPORTER_PARTS, profileMarkdown, readProfileFrom, selfTimeByPart } from './cpu-profile.js';
import { cpuSecondsPrecise, freePort, median, sidecarNodeFlags, sleep, spread, start, stop, table } from './lib.js';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const SCRAPE_EVERY_MS = 250;
const sidecar = (flags, extra) => (port) => [...flags, here('../exporter/dist/cli.js'), '--service', 'bench', '--port', String(port), '--host', '127.0.0.1', '--disk', '/', ...extra];

export async function run({ quick }) {
  const rounds = quick ? 2 : 3;
  const windowMs = quick ? 6_000 : 30_000;
  const deployFlags = sidecarNodeFlags();
  const dir = mkdtempSync(join(tmpdir(), 'chroma-bench-exporter-'));
  mkdirSync(join(dir, 'profile'));
  const SERVERS = [
    { key: 'sidecar', name: 'chroma-exporter `--default-metrics` (resource collectors + the same prom-client defaults)', args: sidecar([], ['--default-metrics']) },
    { key: 'bare', name: 'bare prom-client `collectDefaultMetrics()` server', args: (port) => [here('./bare-promclient-server.js'), String(port)] },
    { key: 'deployed', name: `chroma-exporter as deployed (\`node ${deployFlags.join(' ')}\`, no default metrics)`, args: sidecar(deployFlags, []) },
    // Profiled beside the others, not measured: the profiler's cost stays out of the figures.
    { key: 'profiled', name: 'profiled', args: (port) => [...cpuProfileArgs(join(dir, 'profile')), ...sidecar([], ['--default-metrics'])(port)] },
  ];
  const servers = [];
  const results = Object.fromEntries(SERVERS.map((s) => [s.key, []]));
  let closest = Infinity; // ms between the starts of two consecutive scrapes
  try {
    for (const s of SERVERS) {
      const port = await freePort();
      servers.push({ ...s, url: `http://127.0.0.1:${port}/metrics`, child: await start(process.execPath, s.args(port), /listening/) });
    }
    const scrapeAll = () => Promise.all(servers.map(async (s) => (await fetch(s.url)).text()));
    for (let i = 0; i < 8; i++) await scrapeAll(); // warm-up: JIT, connections, the first CPU window
    let lastTickAt = -Infinity;
    for (let round = 0; round < rounds; round++) {
      const before = servers.map((s) => cpuSecondsPrecise(s.child.pid));
      let scrapes = 0;
      const until = performance.now() + windowMs;
      while (performance.now() < until) {
        const tickAt = performance.now();
        closest = Math.min(closest, tickAt - lastTickAt);
        lastTickAt = tickAt;
        await scrapeAll();
        scrapes++;
        await sleep(Math.max(0, SCRAPE_EVERY_MS - (performance.now() - tickAt)));
      }
      servers.forEach((s, i) => results[s.key].push(((cpuSecondsPrecise(s.child.pid) - before[i]) / scrapes) * 1e6));
    }
  } finally {
    for (const s of servers) await stop(s.child);
  }
  let profile = null;
  try {
    profile = selfTimeByPart(readProfileFrom(join(dir, 'profile')), EXPORTER_PARTS);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ratio = median(results.sidecar) / median(results.bare);
  const deployedRatio = median(results.deployed) / median(results.bare);
  return {
    title: 'Exporter CPU per fresh reading',
    markdown: [
      `The servers run side by side and are scraped together once every ${SCRAPE_EVERY_MS} ms for ${windowMs / 1000} s per round, ${rounds} rounds; CPU of each server process from /proc/<pid>/task/*/schedstat (all its threads, ns resolution), divided by the scrapes. Sharing window: the exporter serves the same reading to requests less than ${SNAPSHOT_REUSE_MS} ms after one (\`SNAPSHOT_REUSE_MS\`, exporter/src/resource-sampler.ts), so at one scrape every ${SCRAPE_EVERY_MS} ms each scrape takes a fresh reading (the closest two scrapes started ${closest.toFixed(0)} ms apart). The CPU counted includes what a server does between scrapes (prom-client's default metrics sample the event loop's delay on a timer).`,
      '',
      table(['server', 'CPU µs per scrape', 'ratio to bare prom-client'], [
        [SERVERS[0].name, spread(results.sidecar, 0), ratio.toFixed(2) + '×'],
        [SERVERS[1].name, spread(results.bare, 0), '1.00×'],
        [SERVERS[2].name, spread(results.deployed, 0), deployedRatio.toFixed(2) + '×'],
      ]),
      '',
      'The goal compares like with like: the sidecar serving the same prom-client default metrics as the bare server, plus its resource readings. As deployed (no default metrics) it does less work per scrape.',
      '',
      `Sidecar with \`--default-metrics\` under \`node --cpu-prof\` (a fourth process scraped with the others), self time of its main thread (${profile.busySeconds.toFixed(2)} s busy) by part:`,
      '',
      profileMarkdown(profile),
    ].join('\n'),
    goals: [{
      id: 7,
      goal: 'Exporter CPU per fresh reading ≤ 1.1× a bare prom-client server at one scrape every 250 ms',
      figure: `${median(results.sidecar).toFixed(0)} µs per scrape (with the same default metrics); as deployed ${median(results.deployed).toFixed(0)} µs (${deployedRatio.toFixed(2)}×)`,
      peer: `bare prom-client: ${median(results.bare).toFixed(0)} µs`,
      ratio: `${ratio.toFixed(2)}× (goal ≤ 1.10×)`,
      rounds: `${rounds} × ${windowMs / 1000} s at ${SCRAPE_EVERY_MS} ms`,
      met: ratio <= 1.1,
      profile: `\`--cpu-prof\` of the sidecar with \`--default-metrics\`, self time by part: ${profile.parts.map((p) => `${p.name} ${(p.share * 100).toFixed(0)} %`).join(', ')}.`,
      section: 'Exporter CPU per fresh reading',
    }],
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await run({ quick: process.argv.includes('--quick') });
  console.log(result.markdown, '\n', JSON.stringify(result.goals, null, 1));
}
