// Poller CPU per scraped sample vs Prometheus (Debian package) scraping the same local target farm, every
// target serving the node_exporter fixture plus the resource gauges (so every scrape stores a row); the
// poller's cycles started and skipped, rows stored per scrape, and a `--cpu-prof` round grouped by part.
// Goals 6 and 9 of issue 15.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { cpuProfileArgs, POLLER_PARTS, profileMarkdown, readProfileFrom, selfTimeByPart } from './cpu-profile.js';
import { cpuSeconds, createBenchDatabase, freePort, median, npmStartNodeFlags, rssMb, sleep, spread, start, stop, table } from './lib.js';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

function which(binary) {
  try {
    return execFileSync('which', [binary]).toString().trim();
  } catch {
    return null;
  }
}

/**
 * CPU per scraped sample over `windowMs` after `warmupMs`. `counters` reads the scraper's own count of
 * what it did (cycles, skipped, rows for the poller; scrapes for Prometheus) when it has just started and
 * at both ends of the window; `scrapesIn(delta)` turns the window's counts into the scrapes it did, so a
 * skipped cycle or a late scrape is not counted as samples scraped.
 */
async function cpuPerSample(child, samplesPerBody, warmupMs, windowMs, counters, scrapesIn) {
  const atStart = await counters();
  await sleep(warmupMs);
  const before = cpuSeconds(child.pid);
  const countersBefore = await counters();
  const startedAt = performance.now();
  await sleep(windowMs);
  const cpu = cpuSeconds(child.pid) - before;
  const seconds = (performance.now() - startedAt) / 1000;
  const countersAfter = await counters();
  const delta = Object.fromEntries(Object.keys(countersAfter).map((k) => [k, countersAfter[k] - countersBefore[k]]));
  const sinceStart = Object.fromEntries(Object.keys(countersAfter).map((k) => [k, countersAfter[k] - atStart[k]]));
  const scrapes = scrapesIn(delta);
  return { usPerSample: (cpu / (scrapes * samplesPerBody)) * 1e6, cores: cpu / seconds, rss: rssMb(child.pid), seconds, scrapes, delta, sinceStart, totals: countersAfter };
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

/** Scrapes Prometheus has done of the farm so far (its `up` samples, one per scrape), from its query API. */
function prometheusCounters(baseUrl) {
  return async () => {
    const query = encodeURIComponent('sum(count_over_time(up{job="farm"}[1h]))');
    const body = await (await fetch(`${baseUrl}/api/v1/query?query=${query}`)).json();
    return { scrapes: Number(body?.data?.result?.[0]?.value?.[1] ?? 0) };
  };
}

export async function run({ quick }) {
  const targets = quick ? 50 : 200;
  const windowMs = quick ? 5_000 : 20_000;
  const warmupMs = 4_000;
  const rounds = quick ? 1 : 3;
  const flags = npmStartNodeFlags();
  const dir = mkdtempSync(join(tmpdir(), 'chroma-bench-poller-'));
  const farm = await start(process.execPath, [here('./target-farm-server.js'), String(targets)], /ports \[.*\]/);
  const ports = JSON.parse(/ports (\[.*\])/.exec(farm.startOutput)[1]);
  const samplesPerBody = Number(/samples (\d+)/.exec(farm.startOutput)[1]);
  const db = await createBenchDatabase();
  const prometheusBinary = which('prometheus');
  const ours = [];
  const theirs = [];
  let profile = null;
  try {
    const pollerConfig = join(dir, 'monitor.yaml');
    const pollerPort = await freePort();
    writeFileSync(pollerConfig, stringify({
      interval: '1s', timeout: '800ms', concurrency: 16, listen: { host: '127.0.0.1', port: pollerPort },
      targets: ports.map((port, i) => ({ service: `node-${i}`, url: `http://127.0.0.1:${port}/metrics` })),
    }));
    const promConfig = join(dir, 'prometheus.yml');
    writeFileSync(promConfig, stringify({ global: { scrape_interval: '1s' }, scrape_configs: [{ job_name: 'farm', static_configs: [{ targets: ports.map((p) => `127.0.0.1:${p}`) }] }] }));
    const startPoller = (extra = []) => start(process.execPath, [...flags, ...extra, here('../poller/dist/cli.js'), 'run', '--config', pollerConfig], /listening on/, { DATABASE_URL: db.url, SLACK_WEBHOOK_URL: '' });
    const counters = pollerCounters(db.url, `http://127.0.0.1:${pollerPort}/status`);
    for (let round = 0; round < rounds; round++) {
      const poller = await startPoller();
      try {
        // Every cycle scrapes every target.
        ours.push(await cpuPerSample(poller, samplesPerBody, warmupMs, windowMs, counters, (d) => d.cycles * targets));
      } finally {
        await stop(poller);
      }
      if (prometheusBinary) {
        const promPort = await freePort();
        const prometheus = await start(prometheusBinary, [`--config.file=${promConfig}`, `--storage.tsdb.path=${join(dir, `tsdb-${round}`)}`, `--web.listen-address=127.0.0.1:${promPort}`], /Server is ready to receive web requests/);
        try {
          theirs.push(await cpuPerSample(prometheus, samplesPerBody, warmupMs, windowMs, prometheusCounters(`http://127.0.0.1:${promPort}`), (d) => d.scrapes));
        } finally {
          await stop(prometheus);
        }
      }
    }
    // One more poller round under --cpu-prof (the profiler's own cost stays out of the figures above).
    const profileDir = join(dir, 'profile');
    mkdirSync(profileDir);
    const profiled = await startPoller(cpuProfileArgs(profileDir));
    try {
      await sleep(warmupMs + windowMs);
    } finally {
      await stop(profiled);
    }
    profile = selfTimeByPart(readProfileFrom(profileDir), POLLER_PARTS);
  } finally {
    await stop(farm);
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }

  const ratio = theirs.length ? median(ours.map((r) => r.usPerSample)) / median(theirs.map((r) => r.usPerSample)) : NaN;
  const promVersion = prometheusBinary ? execFileSync(prometheusBinary, ['--version']).toString().split('\n')[0].replace(/^prometheus, version /, '').replace(/ \(branch.*$/, '') : null;
  const rows = [['chroma-monitor poller', spread(ours.map((r) => r.usPerSample), 3), spread(ours.map((r) => r.cores), 2), spread(ours.map((r) => r.rss), 0), theirs.length ? ratio.toFixed(2) + '×' : 'n/a']];
  if (theirs.length) rows.push([`Prometheus ${promVersion}`, spread(theirs.map((r) => r.usPerSample), 3), spread(theirs.map((r) => r.cores), 2), spread(theirs.map((r) => r.rss), 0), '1.00×']);

  // Goal 9: every tick a cycle (none skipped) and a stored row per scrape, in the measured window.
  const due = ours.map((r) => Math.floor(r.seconds)); // ticks due at 1 s
  // Since the poller started: the cycle in progress when counted may have no rows yet (the writer flushes
  // at the end of each cycle), so rows ÷ scrapes lies between rows ÷ (targets × cycles) and rows ÷ (targets × (cycles − 1)).
  const rowsLow = ours.map((r) => r.sinceStart.rows / (targets * r.totals.cycles));
  const rowsPerScrape = ours.map((r) => r.sinceStart.rows / (targets * (r.totals.cycles - 1)));
  const skipped = ours.reduce((a, r) => a + r.delta.skipped, 0);
  const promDone = theirs.map((r) => r.scrapes / (targets * r.seconds));
  const met9 = skipped === 0 && rowsPerScrape.every((x) => x >= 0.98);
  const shares = profile.parts.map((p) => `${p.name} ${(p.share * 100).toFixed(0)} %`).join(', ');

  return {
    title: 'Poller CPU per scraped sample',
    markdown: [
      `${targets} local targets each serving the node_exporter fixture plus the exporter's resource gauges (${samplesPerBody} samples), scraped every 1 s; CPU of the scraper process (/proc/<pid>/stat) over ${windowMs / 1000} s after a ${warmupMs / 1000} s warm-up, ${rounds} round(s); the poller started as \`npm start\` starts it (\`node ${flags.join(' ')}\`), storing a history row per scrape in PostgreSQL. Samples counted as the scrapes each scraper did in the window × ${samplesPerBody}: the poller's cycles started × targets, Prometheus's \`up\` samples (±1 cycle or scrape per target at the window's edges); a skipped cycle is not counted as scraped.`,
      '',
      table(['scraper', 'CPU µs per sample', 'cores used', 'RSS MB', 'ratio'], rows),
      '',
      `In the measured window, per round: poller cycles started ${ours.map((r) => r.delta.cycles).join(', ')} of ${due.join(', ')} due, skipped ${ours.map((r) => r.delta.skipped).join(', ')}; history rows stored since the poller started ÷ scrapes ${rowsPerScrape.map((x, i) => `${rowsLow[i].toFixed(2)}–${x.toFixed(2)}`).join(', ')} (1.00 = a row for every scrape; the range is because the cycle in progress when counted may not have flushed its rows yet).` +
        (theirs.length ? ` Prometheus, scrapes done ÷ due in the window (its \`up\` samples, from its query API; ±1 scrape per target at the window's edges): ${promDone.map((x) => x.toFixed(2)).join(', ')}.` : ''),
      '',
      `Poller CPU by part: one more round under \`node --cpu-prof\` (${Math.round((warmupMs + windowMs) / 1000)} s including start-up and warm-up), self time of the main thread (${profile.busySeconds.toFixed(1)} s busy) grouped by script:`,
      '',
      profileMarkdown(profile, { topFunctions: 10 }),
    ].join('\n'),
    goals: [
      {
        id: 6,
        goal: 'Poller ≤ 0.8× Prometheus 2.42 CPU per scraped sample, 200 × 930-sample targets at 1 s storing to PostgreSQL, with the by-part breakdown',
        figure: `${median(ours.map((r) => r.usPerSample)).toFixed(3)} µs/sample (${targets} targets × ${samplesPerBody} samples)`,
        peer: theirs.length ? `Prometheus ${promVersion}: ${median(theirs.map((r) => r.usPerSample)).toFixed(3)} µs/sample` : 'Prometheus not installed',
        ratio: theirs.length ? `${ratio.toFixed(2)}× (goal ≤ 0.80×)` : 'n/a',
        rounds: `${rounds} × ${windowMs / 1000} s each${quick ? ' (quick: 50 targets, not the goal\'s 200)' : ''}`,
        met: theirs.length > 0 && ratio <= 0.8,
        profile: `\`--cpu-prof\` of the poller, self time by part: ${shares}${profile.otherScripts.length ? ` ("other" is mostly ${profile.otherScripts.slice(0, 3).map((f) => `\`${f.name}\` ${(f.share * 100).toFixed(0)} %`).join(', ')})` : ''}. Top functions: ${profile.functions.slice(0, 6).map((f) => `\`${f.name}\` ${(f.share * 100).toFixed(1)} %`).join(', ')}.`,
        section: 'Poller CPU per scraped sample',
      },
      {
        id: 9,
        goal: 'No dropped cycles at 200 targets × 940 samples every 1 s, every scrape storing a row',
        figure: `${skipped} cycles skipped of ${due.reduce((a, b) => a + b, 0)} due; rows stored ÷ scrapes ${rowsPerScrape.map((x, i) => `${rowsLow[i].toFixed(2)}–${x.toFixed(2)}`).join(', ')} (${targets} × ${samplesPerBody} samples)`,
        peer: theirs.length ? `Prometheus scrapes done ÷ due ${promDone.map((x) => x.toFixed(2)).join(', ')}` : '—',
        ratio: '—',
        rounds: `${rounds} × ${windowMs / 1000} s${quick ? ' (quick: 50 targets, not the goal\'s 200)' : ''}`,
        met: met9,
        profile: `Cycles started per round ${ours.map((r) => r.delta.cycles).join(', ')} (due ${due.join(', ')}), skipped ${ours.map((r) => r.delta.skipped).join(', ')}; the poller used ${spread(ours.map((r) => r.cores), 2)} cores; by part: ${shares}.`,
        section: 'Poller CPU per scraped sample',
      },
    ],
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await run({ quick: process.argv.includes('--quick') });
  console.log(result.markdown, '\n', JSON.stringify(result.goals, null, 1));
}
