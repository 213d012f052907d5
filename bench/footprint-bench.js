// Footprint (goals 1 and 3 of issue 15): the sidecar's RSS over 10,000 scrapes beside Node's floor (an empty
// node:http server), started with the node flags deploy/with-exporter.sh gives it; and the poller's RSS with
// six targets and an external PostgreSQL over ten simulated hours (a 200 ms interval stands in for 30 s),
// started as `npm start` starts it. Each process carries bench/memory-probe.cjs for the breakdown.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { stringify } from 'yaml';
import { breakdownTable, memoryProbe } from './memory-breakdown.js';
import { createBenchDatabase, freePort, npmStartNodeFlags, rssMb, sidecarNodeFlags, sleep, start, stop, table } from './lib.js';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const CYCLES_PER_HOUR = 120; // at the default 30 s interval
const POLLER_GOAL_MB = 80;
const SIDECAR_GOAL_MB = 45;
/** "Flat": RSS at the last simulated hour at most this much above the first hour's (start-up settles in hour 0). */
const FLAT_LIMIT = 1.1;

async function pollerFootprint(hours, probe) {
  const farm = await start(process.execPath, [here('./capacity-farm-server.js'), '6', '1'], /ports \[.*\]/);
  const [port] = JSON.parse(/ports (\[.*\])/.exec(farm.startOutput)[1]);
  const db = await createBenchDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'chroma-footprint-'));
  const pollerPort = await freePort();
  writeFileSync(join(dir, 'monitor.yaml'), stringify({
    interval: '200ms', timeout: '100ms', listen: { host: '127.0.0.1', port: pollerPort },
    // Services t0…t5: the farm labels each body's gauges with the service its path names (the poller ignores series of another service).
    targets: Array.from({ length: 6 }, (_, i) => ({ service: `t${i}`, url: `http://127.0.0.1:${port}/t${i}/metrics` })),
  }));
  const flags = npmStartNodeFlags();
  const poller = await start(process.execPath, [...flags, ...probe.args, here('../poller/dist/cli.js'), 'run', '--config', join(dir, 'monitor.yaml')], /listening on/, { DATABASE_URL: db.url, SLACK_WEBHOOK_URL: '', ...probe.env });
  const cycles = async () => (await (await fetch(`http://127.0.0.1:${pollerPort}/status`)).json()).scheduler.cycles;
  const points = [];
  let breakdown;
  try {
    for (let hour = 0; hour <= hours; hour++) {
      while ((await cycles()) < hour * CYCLES_PER_HOUR + 1) await sleep(200);
      points.push({ hour, rss: rssMb(poller.pid) });
    }
    breakdown = await probe.read(poller.pid);
  } finally {
    await stop(poller);
    await stop(farm);
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
  return { points, breakdown, flags };
}

/** Node's own floor: an empty node:http server answering every request. */
const FLOOR_SCRIPT = "require('http').createServer((q, s) => s.end('ok')).listen(Number(process.argv[1]), '127.0.0.1', () => console.log('listening'))";

/** RSS of a server process as requests to /metrics accumulate, `step` at a time up to `scrapes`; breakdowns idle and at the end. */
export async function rssOverScrapes(args, scrapes, step, probe, env = {}) {
  const port = await freePort();
  const server = await start(process.execPath, [...probe.args, ...args(port)], /listening/, { ...probe.env, ...env });
  await sleep(1000); // idle: after start-up work settles
  const points = [{ scrapes: 0, rss: rssMb(server.pid) }];
  try {
    const idle = await probe.read(server.pid);
    for (let done = step; done <= scrapes; done += step) {
      await autocannon({ url: `http://127.0.0.1:${port}/metrics`, connections: 1, amount: step });
      points.push({ scrapes: done, rss: rssMb(server.pid) });
    }
    return { points, idle, loaded: await probe.read(server.pid) };
  } finally {
    await stop(server);
  }
}

const sidecarArgs = (flags) => (port) => [...flags, here('../exporter/dist/cli.js'), '--service', 'bench', '--port', String(port), '--host', '127.0.0.1', '--disk', '/'];

export async function run({ quick }) {
  const hours = quick ? 1 : 10;
  const scrapes = quick ? 2_000 : 10_000;
  const step = 2_000;
  const deployFlags = sidecarNodeFlags();
  const probe = memoryProbe();
  let floor, floorFlagged, plain, flagged, poller;
  try {
    floor = await rssOverScrapes((port) => ['-e', FLOOR_SCRIPT, String(port)], scrapes, step, probe);
    floorFlagged = await rssOverScrapes((port) => [...deployFlags, '-e', FLOOR_SCRIPT, String(port)], scrapes, step, probe);
    plain = await rssOverScrapes(sidecarArgs([]), scrapes, step, probe);
    flagged = await rssOverScrapes(sidecarArgs(deployFlags), scrapes, step, probe);
    poller = await pollerFootprint(hours, probe);
  } finally {
    probe.cleanup();
  }
  const at = (series, i) => series.points.at(i).rss;
  const sidecarMet = at(flagged, 0) <= SIDECAR_GOAL_MB && at(flagged, -1) <= SIDECAR_GOAL_MB;
  const pts = poller.points;
  const pollerMax = Math.max(...pts.map((p) => p.rss));
  const flatRatio = pts.at(-1).rss / pts[Math.min(1, pts.length - 1)].rss;
  const pollerMet = pollerMax <= POLLER_GOAL_MB && flatRatio <= FLAT_LIMIT;
  const mb = (v) => `${v.toFixed(1)} MB`;
  /** One line: what `a` holds over `b`, by part, MB. */
  const over = (a, b) => (!a.spaces || !b.spaces ? `RSS ${(a.rss - b.rss).toFixed(1)} MB (no probe answer)` : `RSS ${(a.rss - b.rss).toFixed(1)} MB: V8 heap ${(a.heap - b.heap).toFixed(1)} (new space ${(a.spaces.new_space - b.spaces.new_space).toFixed(1)}, old space ${(a.spaces.old_space - b.spaces.old_space).toFixed(1)}), outside the heap ${(a.other - b.other).toFixed(1)}, file-backed ${(a.file - b.file).toFixed(1)}`);
  const sidecarBreakdown = breakdownTable([[`sidecar, ${scrapes.toLocaleString('en')} scrapes`, flagged.loaded], ['floor, same flags', floorFlagged.loaded]], { diff: true });
  return {
    title: 'Footprint',
    markdown: [
      `Sidecar (\`chroma-exporter\`, no default metrics), RSS as scrapes of /metrics accumulate (autocannon, 1 connection), beside Node's floor (an empty \`node:http\` server) in the same run; "deploy flags" is \`node ${deployFlags.join(' ')}\`, read from deploy/with-exporter.sh. Every process carries bench/memory-probe.cjs (for the breakdowns below).`,
      '',
      table(['scrapes', ...floor.points.map((p) => p.scrapes.toLocaleString('en'))], [
        ['Node floor RSS MB', ...floor.points.map((p) => p.rss.toFixed(1))],
        ['Node floor, deploy flags, RSS MB', ...floorFlagged.points.map((p) => p.rss.toFixed(1))],
        ['sidecar, no flags, RSS MB', ...plain.points.map((p) => p.rss.toFixed(1))],
        ['sidecar, deploy flags, RSS MB', ...flagged.points.map((p) => p.rss.toFixed(1))],
        ['sidecar with deploy flags ÷ floor', ...flagged.points.map((p, i) => (p.rss / floor.points[i].rss).toFixed(2) + '×')],
      ]),
      '',
      'Where the sidecar\'s RSS goes after the scrapes, beside the floor started with the same flags (kernel split from /proc/<pid>/status, V8 heap by space from inside the process):',
      '',
      sidecarBreakdown,
      '',
      `Poller: six local exporter-like targets, external PostgreSQL, started as \`npm start\` starts it (\`node ${poller.flags.join(' ')}\`), interval 200 ms standing in for 30 s (${CYCLES_PER_HOUR} cycles = one hour), RSS after each simulated hour:`,
      '',
      table(['simulated hours', ...pts.map((p) => String(p.hour))], [['poller RSS MB', ...pts.map((p) => p.rss.toFixed(0))]]),
      '',
      'Where the poller\'s RSS goes at the last hour, beside the idle Node floor:',
      '',
      breakdownTable([['poller', poller.breakdown], ['Node floor, idle', floor.idle]], { diff: true }),
    ].join('\n'),
    goals: [
      {
        id: 1,
        goal: `Sidecar ≤ ${SIDECAR_GOAL_MB} MB RSS idle and after 10,000 scrapes, started with deploy/with-exporter.sh's flags, beside Node's floor`,
        figure: `${mb(at(flagged, 0))} idle, ${mb(at(flagged, -1))} after ${scrapes.toLocaleString('en')}`,
        peer: `Node floor ${mb(at(floor, 0))} idle, ${mb(at(floor, -1))} after (with the same flags ${mb(at(floorFlagged, 0))}, ${mb(at(floorFlagged, -1))})`,
        ratio: `${(at(flagged, 0) / at(floor, 0)).toFixed(2)}× idle, ${(at(flagged, -1) / at(floor, -1)).toFixed(2)}× after`,
        rounds: `1 series of ${scrapes.toLocaleString('en')} scrapes${quick ? ' (quick: not the goal\'s 10,000)' : ''}`,
        met: sidecarMet,
        profile: `Floor: an empty node:http server is ${mb(at(floor, 0))} idle and ${mb(at(floor, -1))} after the same scrapes (${mb(at(floorFlagged, 0))} / ${mb(at(floorFlagged, -1))} with the deploy flags)${at(floorFlagged, -1) > SIDECAR_GOAL_MB ? `: after load the floor itself is above ${SIDECAR_GOAL_MB} MB` : ''}. The sidecar over the floor with the same flags, idle: ${over(flagged.idle, floorFlagged.idle)}; after the scrapes: ${over(flagged.loaded, floorFlagged.loaded)} (tables in “Footprint”).`,
        section: 'Footprint',
      },
      {
        id: 3,
        goal: `Poller ≤ ${POLLER_GOAL_MB} MB RSS with six targets and an external PostgreSQL, flat over ${hours === 10 ? '10' : hours} simulated hour(s), started as \`npm start\``,
        figure: `max ${mb(pollerMax)}; hour 1 ${mb(pts[Math.min(1, pts.length - 1)].rss)}, hour ${pts.at(-1).hour} ${mb(pts.at(-1).rss)} (${flatRatio.toFixed(2)}×, flat ≤ ${FLAT_LIMIT}×)`,
        peer: `Node floor ${mb(at(floor, 0))} idle`,
        ratio: `${(pollerMax / at(floor, 0)).toFixed(2)}× the floor`,
        rounds: `1 run, ${hours} simulated hour(s)${quick ? ' (quick: not the goal\'s 10)' : ''}`,
        met: pollerMet,
        profile: `At the last hour, over the idle Node floor: ${over(poller.breakdown, floor.idle)}; the V8 heap is ${poller.breakdown.heap.toFixed(1)} MB of which new space ${poller.breakdown.spaces.new_space.toFixed(1)} MB (table in “Footprint”).`,
        section: 'Footprint',
      },
    ],
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await run({ quick: process.argv.includes('--quick') });
  console.log(result.markdown, '\n', JSON.stringify(result.goals, null, 1));
}
