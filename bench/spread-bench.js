// Spread (goal 8 of issue 15): when in its cycle the real ScrapeScheduler starts each of 20 similarly named
// targets, on a simulated clock, in two separate processes (a restart) with the target list in different orders.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ScrapeScheduler } from '../poller/dist/scrape/index.js';
import { table } from './lib.js';

const SERVICES = Array.from({ length: 20 }, (_, i) => `svc-${i + 1}`);
/** The issue's case (20 s) and the default interval (30 s), each with the default 10 s timeout. */
const CASES = [{ intervalMs: 20_000, timeoutMs: 10_000 }, { intervalMs: 30_000, timeoutMs: 10_000 }];

/** A clock and timers that only move when the simulation moves them. */
function simulation() {
  let now = 0;
  const queue = [];
  return {
    clock: { now: () => now, monotonic: () => now },
    timers: {
      setTimeout: (callback, ms) => {
        const timer = { at: now + Math.max(0, ms), callback, cancelled: false };
        queue.push(timer);
        return timer;
      },
      clearTimeout: (timer) => {
        if (timer) timer.cancelled = true;
      },
    },
    /** Fires timers in time order until `until` (ms), letting promise chains run between them. */
    async runUntil(until) {
      for (;;) {
        await new Promise((resolve) => setImmediate(resolve));
        const live = queue.filter((t) => !t.cancelled && t.at <= until).sort((a, b) => a.at - b.at);
        if (!live.length) return;
        const next = live[0];
        queue.splice(queue.indexOf(next), 1);
        now = next.at;
        next.callback();
      }
    },
  };
}

/** Start time of each service's scrape within the first cycle, ms, with the target list in `order`. */
async function startTimes(intervalMs, timeoutMs, order) {
  const sim = simulation();
  const started = {};
  const scheduler = new ScrapeScheduler({
    targets: order.map((service) => ({ service })),
    intervalMs, timeoutMs, concurrency: 4, clock: sim.clock, timers: sim.timers,
    runTarget: async (target) => {
      started[target.service] ??= sim.clock.now();
    },
    onCycleComplete: () => {},
  });
  scheduler.start();
  await sim.runUntil(intervalMs - 1);
  await scheduler.stop({ drainMs: 0 });
  return started;
}

/** In a child process: one "start" of the scheduler per case, as JSON. */
async function simulateOnce(reversed) {
  const order = reversed ? [...SERVICES].reverse() : SERVICES;
  const out = [];
  for (const c of CASES) out.push(await startTimes(c.intervalMs, c.timeoutMs, order));
  return out;
}

export async function run() {
  const self = fileURLToPath(import.meta.url);
  const first = JSON.parse(execFileSync(process.execPath, [self, '--simulate'], { encoding: 'utf8' }));
  const restarted = JSON.parse(execFileSync(process.execPath, [self, '--simulate', '--reversed'], { encoding: 'utf8' }));
  const results = CASES.map((c, i) => {
    const times = SERVICES.map((s) => first[i][s]).sort((a, b) => a - b);
    const gaps = times.slice(1).map((t, k) => t - times[k]);
    const minGap = Math.min(...gaps);
    const moved = Math.max(...SERVICES.map((s) => Math.abs(first[i][s] - restarted[i][s])));
    return { ...c, minGap, maxGap: Math.max(...gaps), span: times.at(-1) - times[0], moved, started: Object.keys(first[i]).length };
  });
  const met = results.every((r) => r.started === SERVICES.length && r.minGap >= r.intervalMs / 40 && r.moved === 0);
  const issueCase = results[0];
  return {
    title: 'Spread of scrape starts',
    markdown: [
      `The poller's \`ScrapeScheduler\` (poller/dist/scrape) on a simulated clock, targets \`${SERVICES[0]}\` … \`${SERVICES.at(-1)}\`; start time of each target's scrape in the first cycle. "Restart": a second process with the target list reversed. Offsets are spread over interval − timeout.`,
      '',
      table(['interval', 'timeout', 'targets started', 'closest two (s)', 'interval/40 (s)', 'widest gap (s)', 'first → last (s)', 'moved by the restart (ms)'], results.map((r) => [
        `${r.intervalMs / 1000} s`, `${r.timeoutMs / 1000} s`, r.started, (r.minGap / 1000).toFixed(3), (r.intervalMs / 40000).toFixed(3), (r.maxGap / 1000).toFixed(3), (r.span / 1000).toFixed(2), r.moved.toFixed(0),
      ])),
    ].join('\n'),
    goals: [{
      id: 8,
      goal: 'Spread: no two of 20 similarly named targets closer than interval/40, stable across restarts',
      figure: results.map((r) => `${r.intervalMs / 1000} s interval: closest two ${(r.minGap / 1000).toFixed(3)} s, moved ${r.moved.toFixed(0)} ms on restart`).join('; '),
      peer: '—',
      ratio: results.map((r) => `${(r.minGap / (r.intervalMs / 40)).toFixed(2)}× interval/40`).join(', '),
      rounds: '2 starts (separate processes) per interval, simulated clock',
      met,
      profile: `At ${issueCase.intervalMs / 1000} s the closest two start ${(issueCase.minGap / 1000).toFixed(3)} s apart (interval/40 = ${(issueCase.intervalMs / 40000).toFixed(3)} s) and a restart moves a target by up to ${issueCase.moved} ms.`,
      section: 'Spread of scrape starts',
    }],
  };
}

if (process.argv.includes('--simulate')) process.stdout.write(JSON.stringify(await simulateOnce(process.argv.includes('--reversed'))));
else if (process.argv[1] === fileURLToPath(import.meta.url)) console.log((await run()).markdown, JSON.stringify((await run()).goals));
