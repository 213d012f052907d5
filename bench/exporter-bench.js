// CPU per /metrics request: the chroma-exporter sidecar vs a bare prom-client server, each in its own process.
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { cpuSeconds, freePort, median, rssMb, sleep, spread, start, stop, table } from './lib.js';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

async function load(url, requests) {
  await autocannon({ url, connections: 1, amount: requests });
}

async function measure(child, url, requests) {
  await load(url, Math.min(200, requests)); // warm-up
  const before = cpuSeconds(child.pid);
  await load(url, requests);
  return ((cpuSeconds(child.pid) - before) / requests) * 1e6; // µs of CPU per request
}

export async function run({ quick }) {
  const requests = quick ? 500 : 5_000;
  const rounds = 3;
  const exporterPort = await freePort();
  const barePort = await freePort();
  const exporter = await start(process.execPath, [here('../exporter/dist/cli.js'), '--service', 'bench', '--port', String(exporterPort), '--host', '127.0.0.1', '--disk', '/'], /listening/);
  const bare = await start(process.execPath, [here('./bare-promclient-server.js'), String(barePort)], /listening/);
  await sleep(500);
  const idleRss = rssMb(exporter.pid);
  const results = { exporter: [], bare: [] };
  try {
    for (let round = 0; round < rounds; round++) {
      results.exporter.push(await measure(exporter, `http://127.0.0.1:${exporterPort}/metrics`, requests));
      results.bare.push(await measure(bare, `http://127.0.0.1:${barePort}/metrics`, requests));
    }
    const afterRss = rssMb(exporter.pid);
    const ratio = median(results.exporter) / median(results.bare);
    const markdown = [
      `${rounds} rounds of ${requests} sequential requests (autocannon, 1 connection); CPU from /proc/<pid>/stat of each server process.`,
      '',
      table(['server', 'CPU µs per /metrics', 'ratio'], [
        ['chroma-exporter sidecar (resource collectors + prom-client defaults)', spread(results.exporter, 0), ratio.toFixed(2) + '×'],
        ['bare prom-client `collectDefaultMetrics()` server', spread(results.bare, 0), '1.00×'],
      ]),
      '',
      `Sidecar RSS: ${idleRss.toFixed(1)} MB idle, ${afterRss.toFixed(1)} MB after ${rounds * (requests + 200)} scrapes (goal ≤ 60 MB).`,
    ].join('\n');
    return { title: 'Exporter cost per scrape', markdown };
  } finally {
    await stop(exporter);
    await stop(bare);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log((await run({ quick: process.argv.includes('--quick') })).markdown);
