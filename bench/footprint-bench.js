// Footprint: the poller's RSS with six targets and an external PostgreSQL over many simulated hours of
// cycles (a short interval stands in for 30 s), and the sidecar's RSS over 10,000 scrapes beside Node's floor. Flat is the goal.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { stringify } from 'yaml';
import { createBenchDatabase, freePort, rssMb, sleep, start, stop, table } from './lib.js';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const CYCLES_PER_HOUR = 120; // at the default 30 s interval

async function pollerFootprint(hours) {
  const farm = await start(process.execPath, [here('./capacity-farm-server.js'), '6', '1'], /ports \[.*\]/);
  const [port] = JSON.parse(/ports (\[.*\])/.exec(farm.startOutput)[1]);
  const db = await createBenchDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'chroma-footprint-'));
  const pollerPort = await freePort();
  writeFileSync(join(dir, 'monitor.yaml'), stringify({
    interval: '200ms', timeout: '100ms', listen: { host: '127.0.0.1', port: pollerPort },
    // Services t0…t5: the farm labels each body's gauges with the service its path names, and the poller
    // ignores series labelled with another service (so chroma-primary scraping /t0 stored no rows).
    targets: Array.from({ length: 6 }, (_, i) => ({ service: `t${i}`, url: `http://127.0.0.1:${port}/t${i}/metrics` })),
  }));
  const poller = await start(process.execPath, [here('../poller/dist/cli.js'), 'run', '--config', join(dir, 'monitor.yaml')], /listening on/, { DATABASE_URL: db.url, SLACK_WEBHOOK_URL: '' });
  const cycles = async () => (await (await fetch(`http://127.0.0.1:${pollerPort}/status`)).json()).scheduler.cycles;
  const points = [];
  try {
    for (let hour = 0; hour <= hours; hour++) {
      while ((await cycles()) < hour * CYCLES_PER_HOUR + 1) await sleep(200);
      points.push({ hour, rss: rssMb(poller.pid) });
    }
  } finally {
    await stop(poller);
    await stop(farm);
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
  return points;
}

/** The flags deploy/with-exporter.sh starts the sidecar with. */
const SIDECAR_NODE_FLAGS = ['--max-semi-space-size=1', '--max-old-space-size=32'];
/** Node's own floor: an empty node:http server answering every request, started the same way. */
const FLOOR_SCRIPT = "require('http').createServer((q, s) => s.end('ok')).listen(Number(process.argv[1]), '127.0.0.1', () => console.log('listening'))";

/** RSS of a server process as requests to /metrics accumulate, `step` at a time up to `scrapes`. */
async function rssOverScrapes(args, scrapes, step) {
  const port = await freePort();
  const server = await start(process.execPath, args(port), /listening/);
  await sleep(1000); // idle: after start-up work settles
  const points = [{ scrapes: 0, rss: rssMb(server.pid) }];
  try {
    for (let done = step; done <= scrapes; done += step) {
      await autocannon({ url: `http://127.0.0.1:${port}/metrics`, connections: 1, amount: step });
      points.push({ scrapes: done, rss: rssMb(server.pid) });
    }
  } finally {
    await stop(server);
  }
  return points;
}

const sidecarArgs = (flags) => (port) => [...flags, here('../exporter/dist/cli.js'), '--service', 'bench', '--port', String(port), '--host', '127.0.0.1', '--disk', '/'];

export async function sidecarFootprint(scrapes, step) {
  return {
    floor: await rssOverScrapes((port) => ['-e', FLOOR_SCRIPT, String(port)], scrapes, step),
    plain: await rssOverScrapes(sidecarArgs([]), scrapes, step),
    flagged: await rssOverScrapes(sidecarArgs(SIDECAR_NODE_FLAGS), scrapes, step),
  };
}

export async function run({ quick }) {
  const hours = quick ? 1 : 10;
  const poller = await pollerFootprint(hours);
  const sidecar = await sidecarFootprint(10_000, quick ? 10_000 : 2_000);
  return {
    title: 'Footprint',
    markdown: [
      `Poller: six local exporter-like targets, external PostgreSQL, interval 200 ms standing in for 30 s (${CYCLES_PER_HOUR} cycles = one hour), RSS after each simulated hour:`,
      '',
      table(['simulated hours', ...poller.map((p) => String(p.hour))], [['poller RSS MB', ...poller.map((p) => p.rss.toFixed(0))]]),
      '',
      `Sidecar (\`chroma-exporter\`, no default metrics), RSS as scrapes accumulate, beside Node's floor (an empty \`node:http\` server) in the same run; "deploy flags" is \`node ${SIDECAR_NODE_FLAGS.join(' ')}\` as deploy/with-exporter.sh starts it:`,
      '',
      table(['scrapes', ...sidecar.floor.map((p) => p.scrapes.toLocaleString('en'))], [
        ['Node floor RSS MB', ...sidecar.floor.map((p) => p.rss.toFixed(1))],
        ['sidecar RSS MB', ...sidecar.plain.map((p) => p.rss.toFixed(1))],
        ['sidecar, deploy flags, RSS MB', ...sidecar.flagged.map((p) => p.rss.toFixed(1))],
        ['deploy flags ÷ floor', ...sidecar.flagged.map((p, i) => (p.rss / sidecar.floor[i].rss).toFixed(2) + '×')],
      ]),
      '',
      `Goals: poller ≤ 80 MB (${poller.at(-1).rss <= 80 ? 'met' : 'not met'}); sidecar ≤ 45 MB idle (${sidecar.flagged[0].rss <= 45 ? 'met' : 'not met'}: ${sidecar.flagged[0].rss.toFixed(1)} MB, floor ${sidecar.floor[0].rss.toFixed(1)} MB) and after 10,000 scrapes (${sidecar.flagged.at(-1).rss <= 45 ? 'met' : 'not met'}: ${sidecar.flagged.at(-1).rss.toFixed(1)} MB, floor ${sidecar.floor.at(-1).rss.toFixed(1)} MB).`,
    ].join('\n'),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log((await run({ quick: process.argv.includes('--quick') })).markdown);
