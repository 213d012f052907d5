// Poller CPU per scraped sample vs Prometheus (Debian package) scraping the same local target farm.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { cpuSeconds, createBenchDatabase, freePort, median, rssMb, sleep, spread, start, stop, table } from './lib.js';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

function which(binary) {
  try {
    return execFileSync('which', [binary]).toString().trim();
  } catch {
    return null;
  }
}

/**
 * CPU per scraped sample over `windowMs` after `warmupMs`. With `counters` (the poller's), also the
 * history rows stored and the cycles started and skipped in the window.
 */
async function cpuPerSample(child, targets, samplesPerBody, warmupMs, windowMs, counters = null) {
  await sleep(warmupMs);
  const before = cpuSeconds(child.pid);
  const countersBefore = counters && (await counters());
  await sleep(windowMs);
  const cpu = cpuSeconds(child.pid) - before;
  const countersAfter = counters && (await counters());
  const scraped = targets * samplesPerBody * (windowMs / 1000); // one scrape per target per second
  const delta = (key) => (countersAfter ? countersAfter[key] - countersBefore[key] : NaN);
  return { usPerSample: (cpu / scraped) * 1e6, cores: cpu / (windowMs / 1000), rss: rssMb(child.pid), cycles: delta('cycles'), skipped: delta('skipped'), totals: countersAfter };
}

/** Rows in the history table and the scheduler's counters, read from the bench database and /status. */
function pollerCounters(databaseUrl, statusUrl) {
  return async () => {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT count(*)::int AS n FROM service_resource_metrics');
      const { scheduler } = await (await fetch(statusUrl)).json();
      return { rows: rows[0].n, cycles: scheduler.cycles, skipped: scheduler.skipped_cycles };
    } finally {
      await client.end();
    }
  };
}

export async function run({ quick }) {
  const targets = quick ? 50 : 200;
  const windowMs = quick ? 5_000 : 20_000;
  const warmupMs = 4_000;
  const rounds = quick ? 1 : 3;
  const dir = mkdtempSync(join(tmpdir(), 'chroma-bench-poller-'));
  const farm = await start(process.execPath, [here('./target-farm-server.js'), String(targets)], /ports \[.*\]/);
  const ports = JSON.parse(/ports (\[.*\])/.exec(farm.startOutput)[1]);
  const samplesPerBody = Number(/samples (\d+)/.exec(farm.startOutput)[1]);
  const db = await createBenchDatabase();
  const prometheusBinary = which('prometheus');
  const ours = [];
  const theirs = [];
  try {
    const pollerConfig = join(dir, 'monitor.yaml');
    const pollerPort = await freePort();
    writeFileSync(pollerConfig, stringify({
      interval: '1s', timeout: '800ms', concurrency: 16, listen: { host: '127.0.0.1', port: pollerPort },
      targets: ports.map((port, i) => ({ service: `node-${i}`, url: `http://127.0.0.1:${port}/metrics` })),
    }));
    const promConfig = join(dir, 'prometheus.yml');
    writeFileSync(promConfig, stringify({ global: { scrape_interval: '1s' }, scrape_configs: [{ job_name: 'farm', static_configs: [{ targets: ports.map((p) => `127.0.0.1:${p}`) }] }] }));
    for (let round = 0; round < rounds; round++) {
      const poller = await start(process.execPath, [here('../poller/dist/cli.js'), 'run', '--config', pollerConfig], /listening on/, { DATABASE_URL: db.url, SLACK_WEBHOOK_URL: '' });
      try {
        ours.push(await cpuPerSample(poller, targets, samplesPerBody, warmupMs, windowMs, pollerCounters(db.url, `http://127.0.0.1:${pollerPort}/status`)));
      } finally {
        await stop(poller);
      }
      if (prometheusBinary) {
        const prometheus = await start(prometheusBinary, [`--config.file=${promConfig}`, `--storage.tsdb.path=${join(dir, `tsdb-${round}`)}`, `--web.listen-address=127.0.0.1:${await freePort()}`], /Server is ready to receive web requests/);
        try {
          theirs.push(await cpuPerSample(prometheus, targets, samplesPerBody, warmupMs, windowMs));
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
  // Since the poller started: the writer flushes in batches, so a short window's row count lags or leads.
  const stored = ours.map((r) => r.totals.rows / (targets * r.totals.cycles));
  const rows = [['chroma-monitor poller', spread(ours.map((r) => r.usPerSample), 3), spread(ours.map((r) => r.cores), 2), spread(ours.map((r) => r.rss), 0), theirs.length ? (median(ours.map((r) => r.usPerSample)) / median(theirs.map((r) => r.usPerSample))).toFixed(2) + '×' : 'n/a']];
  if (theirs.length) rows.push([`Prometheus (${execFileSync(which('prometheus'), ['--version']).toString().split('\n')[0].replace(/^prometheus, /, '')})`, spread(theirs.map((r) => r.usPerSample), 3), spread(theirs.map((r) => r.cores), 2), spread(theirs.map((r) => r.rss), 0), '1.00×']);
  return {
    title: 'Poller CPU per scraped sample',
    markdown: [
      `${targets} local targets each serving the node_exporter fixture plus the exporter's resource gauges (${samplesPerBody} samples), scraped every 1 s; CPU of the scraper process over ${windowMs / 1000} s after a ${warmupMs / 1000} s warm-up, ${rounds} round(s); the poller stores a history row per scrape in PostgreSQL. Samples counted as targets × ${samplesPerBody} × seconds (one scrape per target per second).`,
      '',
      table(['scraper', 'CPU µs per sample', 'cores used', 'RSS MB', 'ratio'], rows),
      '',
      `Poller, per round: history rows stored ÷ (targets × cycles) since it started ${stored.map((x) => x.toFixed(2)).join(', ')} (1.00 = a row for every scrape); cycles started ${ours.map((r) => r.cycles).join(', ')}, skipped ${ours.map((r) => r.skipped).join(', ')} in the ${windowMs / 1000} s window (goal: none skipped).`,
    ].join('\n'),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log((await run({ quick: process.argv.includes('--quick') })).markdown);
