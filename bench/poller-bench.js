// Poller CPU per scraped sample vs Prometheus (Debian package) scraping the same local target farm.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { cpuSeconds, createBenchDatabase, freePort, median, rssMb, sleep, spread, start, stop, table } from './lib.js';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const SAMPLES_PER_BODY = 930;

function which(binary) {
  try {
    return execFileSync('which', [binary]).toString().trim();
  } catch {
    return null;
  }
}

async function cpuPerSample(child, targets, warmupMs, windowMs) {
  await sleep(warmupMs);
  const before = cpuSeconds(child.pid);
  await sleep(windowMs);
  const cpu = cpuSeconds(child.pid) - before;
  const scraped = targets * SAMPLES_PER_BODY * (windowMs / 1000); // one scrape per target per second
  return { usPerSample: (cpu / scraped) * 1e6, cores: cpu / (windowMs / 1000), rss: rssMb(child.pid) };
}

export async function run({ quick }) {
  const targets = quick ? 50 : 200;
  const windowMs = quick ? 5_000 : 20_000;
  const warmupMs = 4_000;
  const rounds = quick ? 1 : 3;
  const dir = mkdtempSync(join(tmpdir(), 'chroma-bench-poller-'));
  const farm = await start(process.execPath, [here('./target-farm-server.js'), String(targets)], /ports \[.*\]/);
  const ports = JSON.parse(/ports (\[.*\])/.exec(farm.startOutput)[1]);
  const db = await createBenchDatabase();
  const prometheusBinary = which('prometheus');
  const ours = [];
  const theirs = [];
  try {
    const pollerConfig = join(dir, 'monitor.yaml');
    writeFileSync(pollerConfig, stringify({
      interval: '1s', timeout: '800ms', concurrency: 16, listen: { host: '127.0.0.1', port: await freePort() },
      targets: ports.map((port, i) => ({ service: `node-${i}`, url: `http://127.0.0.1:${port}/metrics` })),
    }));
    const promConfig = join(dir, 'prometheus.yml');
    writeFileSync(promConfig, stringify({ global: { scrape_interval: '1s' }, scrape_configs: [{ job_name: 'farm', static_configs: [{ targets: ports.map((p) => `127.0.0.1:${p}`) }] }] }));
    for (let round = 0; round < rounds; round++) {
      const poller = await start(process.execPath, [here('../poller/dist/cli.js'), 'run', '--config', pollerConfig], /listening on/, { DATABASE_URL: db.url, SLACK_WEBHOOK_URL: '' });
      try {
        ours.push(await cpuPerSample(poller, targets, warmupMs, windowMs));
      } finally {
        await stop(poller);
      }
      if (prometheusBinary) {
        const prometheus = await start(prometheusBinary, [`--config.file=${promConfig}`, `--storage.tsdb.path=${join(dir, `tsdb-${round}`)}`, `--web.listen-address=127.0.0.1:${await freePort()}`], /Server is ready to receive web requests/);
        try {
          theirs.push(await cpuPerSample(prometheus, targets, warmupMs, windowMs));
        } finally {
          await stop(prometheus);
        }
      }
    }
  } finally {
    await stop(farm);
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
  const rows = [['chroma-monitor poller', spread(ours.map((r) => r.usPerSample), 3), spread(ours.map((r) => r.cores), 2), spread(ours.map((r) => r.rss), 0), theirs.length ? (median(ours.map((r) => r.usPerSample)) / median(theirs.map((r) => r.usPerSample))).toFixed(2) + '×' : 'n/a']];
  if (theirs.length) rows.push([`Prometheus (${execFileSync(which('prometheus'), ['--version']).toString().split('\n')[0].replace(/^prometheus, /, '')})`, spread(theirs.map((r) => r.usPerSample), 3), spread(theirs.map((r) => r.cores), 2), spread(theirs.map((r) => r.rss), 0), '1.00×']);
  return {
    title: 'Poller CPU per scraped sample',
    markdown: [
      `${targets} local targets each serving the node_exporter fixture (930 samples), scraped every 1 s; CPU of the scraper process over ${windowMs / 1000} s after a ${warmupMs / 1000} s warm-up, ${rounds} round(s); the poller stores history in PostgreSQL. Samples counted as targets × 930 × seconds (one scrape per target per second).`,
      '',
      table(['scraper', 'CPU µs per sample', 'cores used', 'RSS MB', 'ratio'], rows),
    ].join('\n'),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log((await run({ quick: process.argv.includes('--quick') })).markdown);
