// Capacity: 100, 1,000 and 10,000 local targets at a 30 s interval; every target scraped on time?
// Poller CPU and RSS per target, skipped cycles, scrape-start lateness p99 (from /status).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { cpuSeconds, createBenchDatabase, freePort, rssMb, sleep, start, stop, table } from './lib.js';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

async function runSize(targets, intervalMs, measuredCycles, dir) {
  const farm = await start(process.execPath, [here('./capacity-farm-server.js'), String(targets), '20'], /ports \[.*\]/);
  const ports = JSON.parse(/ports (\[.*\])/.exec(farm.startOutput)[1]);
  const db = await createBenchDatabase();
  const pollerPort = await freePort();
  const config = join(dir, `capacity-${targets}.yaml`);
  writeFileSync(config, stringify({
    interval: `${intervalMs / 1000}s`, timeout: `${Math.round(intervalMs / 3000)}s`, concurrency: 32, listen: { host: '127.0.0.1', port: pollerPort },
    targets: Array.from({ length: targets }, (_, i) => ({ service: `t${i}`, url: `http://127.0.0.1:${ports[i % ports.length]}/t${i}/metrics` })),
  }));
  const poller = await start(process.execPath, [here('../poller/dist/cli.js'), 'run', '--config', config], /listening on/, { DATABASE_URL: db.url, SLACK_WEBHOOK_URL: '' });
  const status = () => fetch(`http://127.0.0.1:${pollerPort}/status`).then((r) => r.json());
  try {
    // Warm-up: the first cycle (connections, JIT) is not measured.
    let s = await status();
    while (s.scheduler.cycles < 2) {
      await sleep(500);
      s = await status();
    }
    const cyclesBefore = s.scheduler.cycles;
    const cpuBefore = cpuSeconds(poller.pid);
    const startedAt = Date.now();
    await sleep(measuredCycles * intervalMs);
    const cpu = cpuSeconds(poller.pid) - cpuBefore;
    s = await status();
    const up = s.services.filter((x) => x.up).length;
    return {
      targets,
      cycles: s.scheduler.cycles - cyclesBefore,
      skipped: s.scheduler.skipped_cycles,
      lateness: s.scheduler.last_cycle_start_lateness_p99_seconds,
      lastCycle: s.scheduler.last_cycle_seconds,
      up,
      cores: cpu / ((Date.now() - startedAt) / 1000),
      rss: rssMb(poller.pid),
      buffered: s.store.buffered_rows,
    };
  } finally {
    await stop(poller);
    await stop(farm);
    await db.drop();
  }
}

export async function run({ quick }) {
  const sizes = quick ? [100, 1_000] : [100, 1_000, 10_000];
  const intervalMs = quick ? 6_000 : 30_000;
  const measuredCycles = quick ? 1 : 2;
  const dir = mkdtempSync(join(tmpdir(), 'chroma-capacity-'));
  const results = [];
  try {
    // The largest size is the goal's; the smaller ones are the curve, one measured cycle each keeps the run short.
    for (const size of sizes) results.push(await runSize(size, intervalMs, size === sizes.at(-1) ? measuredCycles : 1, dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const big = results.at(-1);
  return {
    title: 'Capacity',
    markdown: [
      `Local targets served as paths over 20 ports by one farm process, each an exporter-like body (the resource gauges with its own service label plus prom-client's 65 default samples); poller with PostgreSQL history, interval ${intervalMs / 1000} s, timeout ${Math.round(intervalMs / 3000)} s, concurrency 32; ${measuredCycles} cycle(s) measured after a warm-up cycle at ${sizes.at(-1)} targets, one at the smaller sizes.`,
      '',
      table(['targets', 'cycles', 'skipped', 'targets up', 'start lateness p99 (s)', 'last cycle (s)', 'cores', 'CPU ms / target / cycle', 'RSS MB', 'RSS KB / target'], results.map((r) => [
        r.targets, r.cycles, r.skipped, r.up, r.lateness?.toFixed(3) ?? 'n/a', r.lastCycle?.toFixed(1) ?? 'n/a', r.cores.toFixed(2),
        ((r.cores * intervalMs) / r.targets).toFixed(2), r.rss.toFixed(0), ((r.rss * 1024) / r.targets).toFixed(1),
      ])),
      '',
      `At ${big.targets} targets: ${big.skipped === 0 ? 'no skipped cycles' : `${big.skipped} skipped cycles`}, lateness p99 ${big.lateness?.toFixed(3)} s (goal < 1 s), ${big.cores.toFixed(2)} cores (goal < 1), ${big.up}/${big.targets} up.`,
    ].join('\n'),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log((await run({ quick: process.argv.includes('--quick') })).markdown);
