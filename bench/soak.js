// `npm run soak [-- --minutes N]`: a long run at a 1 s interval with 50 targets churning up/down and
// PostgreSQL restarted twice; reports RSS over time, rows stored vs scrapes served, and duplicate alerts.
// Not part of CI (it takes 30 minutes by default); results go to SOAK.md.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { createBenchDatabase, freePort, machine, rssMb, sleep, start, stop, table } from './lib.js';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const minutesArg = process.argv.indexOf('--minutes');
const MINUTES = minutesArg > 0 ? Number(process.argv[minutesArg + 1]) : 30;
const TARGETS = 50;
const started = Date.now();

// The farm: target i is down on alternate 1 s slots when i % 5 === 0 (churn), memory of target i sits at
// 85 % (a steady warning) when i % 7 === 0, and flips between 97 % and 40 % every 2 minutes when i % 11 === 0.
const served = new Array(TARGETS).fill(0);
const farm = createServer((req, res) => {
  const i = Number(/\/t(\d+)\//.exec(req.url)?.[1] ?? -1);
  if (i < 0 || i >= TARGETS) return res.writeHead(404).end();
  const slot = Math.floor(Date.now() / 1000);
  if (i % 5 === 0 && (slot + i) % 2 === 0) return res.writeHead(503).end('down');
  const flip = Math.floor((Date.now() - started) / 120_000) % 2 === 1;
  const memory = i % 11 === 0 ? (flip ? 0.97 : 0.4) : i % 7 === 0 ? 0.85 : 0.3;
  served[i]++;
  res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(
    `resource_memory_usage_ratio{service="t${i}"} ${memory}\nresource_cpu_seconds_total{service="t${i}"} ${(Date.now() - started) / 10000}\nresource_cpu_limit_cores{service="t${i}"} 0.5\nresource_disk_usage_ratio{service="t${i}",path="/data"} 0.5\nresource_disk_free_bytes{service="t${i}",path="/data"} 5368709120\nresource_disk_size_bytes{service="t${i}",path="/data"} 10737418240\n`,
  );
});
await new Promise((resolve) => farm.listen(0, '127.0.0.1', resolve));
const farmPort = farm.address().port;

const alerts = [];
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    alerts.push({ at: Date.now(), text: JSON.parse(body).text });
    res.writeHead(200).end('ok');
  });
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));

const db = await createBenchDatabase();
const dir = mkdtempSync(join(tmpdir(), 'chroma-soak-'));
const pollerPort = await freePort();
writeFileSync(join(dir, 'monitor.yaml'), stringify({
  interval: '1s', timeout: '500ms', listen: { host: '127.0.0.1', port: pollerPort },
  targets: Array.from({ length: TARGETS }, (_, i) => ({ service: `t${i}`, url: `http://127.0.0.1:${farmPort}/t${i}/metrics`, plan: 'starter' })),
}));
const poller = await start(process.execPath, [here('../poller/dist/cli.js'), 'run', '--config', join(dir, 'monitor.yaml')], /listening on/, {
  DATABASE_URL: db.url, SLACK_WEBHOOK_URL: `http://127.0.0.1:${receiver.address().port}/services/T/B/soak`,
});

const cluster = execFileSync('ls', ['/etc/postgresql']).toString().trim().split('\n')[0];
const restarts = [Math.round(MINUTES * 60_000 / 3), Math.round((2 * MINUTES * 60_000) / 3)];
const samples = [];
process.stderr.write(`soak: ${MINUTES} min, ${TARGETS} targets, PostgreSQL restarts at ${restarts.map((ms) => `${ms / 60_000} min`).join(' and ')}\n`);
for (let minute = 1; minute <= MINUTES; minute++) {
  const minuteEnd = started + minute * 60_000;
  for (const at of restarts) {
    if (at <= minuteEnd - started && at > minuteEnd - started - 60_000) {
      await sleep(Math.max(0, started + at - Date.now()));
      // Asynchronously: a synchronous restart froze this process (the farm and the Slack receiver) for ~1 s,
      // so scrapes in flight timed out after the farm had counted them as served.
      await promisify(execFile)('pg_ctlcluster', ['--skip-systemctl-redirect', cluster, 'main', 'restart']);
      process.stderr.write(`soak: PostgreSQL restarted at ${((Date.now() - started) / 60_000).toFixed(1)} min\n`);
    }
  }
  await sleep(Math.max(0, minuteEnd - Date.now()));
  const status = await fetch(`http://127.0.0.1:${pollerPort}/status`).then((r) => r.json());
  samples.push({ minute, rss: rssMb(poller.pid), buffered: status.store.buffered_rows, dropped: status.store.dropped_rows, alerts: alerts.length });
  process.stderr.write(`soak: minute ${minute}: RSS ${rssMb(poller.pid).toFixed(0)} MB, buffered ${status.store.buffered_rows}, alerts ${alerts.length}\n`);
}
// Failed scrapes by reason: 503s are the churn; anything else (timeouts under load) explains served-but-not-stored rows.
const failures = {};
for (const match of (await (await fetch(`http://127.0.0.1:${pollerPort}/metrics`)).text()).matchAll(/^scrape_failures_total\{service="[^"]*",code="([^"]+)"\} (\d+)$/gm)) {
  failures[match[1]] = (failures[match[1]] ?? 0) + Number(match[2]);
}
await stop(poller);
const { default: pg } = await import('pg');
const client = new pg.Client({ connectionString: db.url });
await client.connect();
const rows = new Map((await client.query('SELECT service_name, count(*)::int AS n FROM service_resource_metrics GROUP BY 1')).rows.map((r) => [r.service_name, r.n]));
await client.end();
await db.drop();
farm.close();
receiver.close();
rmSync(dir, { recursive: true, force: true });

const servedTotal = served.reduce((a, b) => a + b, 0);
const storedTotal = [...rows.values()].reduce((a, b) => a + b, 0);
const perTargetGap = served.map((n, i) => n - (rows.get(`t${i}`) ?? 0));
// Duplicates: the same alert text twice within 10 s (a genuine repeat is a cooldown apart).
const duplicateAlerts = alerts.filter((a, i) => alerts.slice(0, i).some((b) => b.text === a.text && a.at - b.at < 10_000));
const duplicates = duplicateAlerts.length;
const minute = (at) => ((at - started) / 60_000).toFixed(1);
const report = [
  '# Soak run',
  '',
  `\`npm run soak -- --minutes ${MINUTES}\` on ${new Date().toISOString().slice(0, 10)}. Machine: ${machine()}.`,
  `${TARGETS} targets at a 1 s interval: every fifth churns up/down each second, some hold a warning, some flip critical ↔ ok every 2 minutes; PostgreSQL restarted (pg_ctlcluster restart) at ${restarts.map((ms) => `${(ms / 60_000).toFixed(0)} min`).join(' and ')}.`,
  '',
  table(['minute', 'poller RSS MB', 'rows buffered', 'rows dropped', 'alerts received'], samples.map((s) => [s.minute, s.rss.toFixed(0), s.buffered, s.dropped, s.alerts])),
  '',
  `Scrapes answered 200 by the farm: ${servedTotal}. Rows stored: ${storedTotal} (per target, served − stored: min ${Math.min(...perTargetGap)}, max ${Math.max(...perTargetGap)}; the last scrapes before shutdown may be in flight).`,
  `Failed scrapes by reason: ${Object.entries(failures).map(([code, n]) => `${code} ${n}`).join(', ') || 'none'} (SCRAPE_HTTP_STATUS is the churn: 503s are not "served"; a timeout after the farm answered is served but not stored).`,
  `Rows dropped by the buffer: ${samples.at(-1).dropped} (bound: 100,000). Alerts received: ${alerts.length}; duplicates (same text within 10 s): ${duplicates}${duplicates ? ` at minute ${duplicateAlerts.map((a) => minute(a.at)).join(', ')}` : ''}.`,
  '',
].join('\n');
writeFileSync(here('../SOAK.md'), report);
process.stdout.write(report);
