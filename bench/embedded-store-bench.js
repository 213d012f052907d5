// The embedded store (goal 4 of issue 15): the poller without DATABASE_URL on a new data directory, started
// as `npm start` starts it: the progress line while the store is created, RSS in steady state after it
// listens; then the second start on the same directory, time until it listens. A `--cpu-prof` second
// start shows where that time goes.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearInterval, setInterval } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { cpuProfileArgs, profileMarkdown, readProfileFrom, selfTimeByPart } from './cpu-profile.js';
import { breakdownTable, memoryProbe } from './memory-breakdown.js';
import { freePort, median, npmStartNodeFlags, rssMb, sleep, start, stop, table } from './lib.js';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const RSS_GOAL_MB = 200;
const SECOND_START_GOAL_S = 3;
const PROGRESS_LINE = /creating the embedded store/;

/** RSS of a process's children (the short-lived initdb child), MB. */
function childrenRss(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).reduce((sum, child) => sum + (rssMb(child) || 0), 0);
  } catch {
    return 0;
  }
}

/**
 * Starts the poller in `dir` and follows it until it listens: each output line with its time since spawn,
 * the peak RSS of the poller and of its children meanwhile. Resolves to the child and that record.
 */
function startFollowed(args, dir, env) {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: dir, env: { ...process.env, DATABASE_URL: '', SLACK_WEBHOOK_URL: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const record = { lines: [], peakRss: 0, peakChildRss: 0, listeningAfter: null };
  const sampler = setInterval(() => {
    record.peakRss = Math.max(record.peakRss, rssMb(child.pid) || 0);
    record.peakChildRss = Math.max(record.peakChildRss, childrenRss(child.pid));
  }, 100);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`the poller did not listen within 120 s: ${record.lines.map((l) => l.text).join(' / ')}`)), 120_000);
    const fail = (error) => {
      clearInterval(sampler);
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    let buffered = '';
    const onData = (chunk) => {
      buffered += chunk;
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const text = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        const at = (performance.now() - started) / 1000;
        record.lines.push({ at, text });
        if (/listening on/.test(text) && record.listeningAfter === null) {
          record.listeningAfter = at;
          clearInterval(sampler);
          clearTimeout(timer);
          child.removeAllListeners('exit');
          resolve({ child, record });
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => fail(new Error(`the poller exited with ${code}: ${record.lines.map((l) => l.text).join(' / ')}`)));
  });
}

/** RSS every second for `seconds`; steady state is the median of the last third. */
async function steadyRss(pid, seconds) {
  const samples = [];
  for (let i = 0; i < seconds; i++) {
    await sleep(1000);
    samples.push(rssMb(pid));
  }
  return { samples, steady: median(samples.slice(-Math.max(1, Math.floor(seconds / 3)))) };
}

export async function run({ quick }) {
  const firstRounds = quick ? 1 : 2;
  const secondStarts = quick ? 1 : 3;
  const settleSeconds = quick ? 9 : 30;
  const flags = npmStartNodeFlags();
  const probe = memoryProbe();
  const farm = await start(process.execPath, [here('./capacity-farm-server.js'), '1', '1'], /ports \[.*\]/);
  const [farmPort] = JSON.parse(/ports (\[.*\])/.exec(farm.startOutput)[1]);
  const root = mkdtempSync(join(tmpdir(), 'chroma-bench-embedded-'));
  const firsts = [];
  const seconds = [];
  let breakdown = null;
  let profile = null;
  let profiledStart = null;
  try {
    for (let round = 0; round < firstRounds; round++) {
      const dir = join(root, `round-${round}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'monitor.yaml'), stringify({
        interval: '30s', data_dir: './data', listen: { host: '127.0.0.1', port: await freePort() },
        targets: [{ service: 't0', url: `http://127.0.0.1:${farmPort}/t0/metrics` }],
      }));
      const args = (extra = []) => [...flags, ...extra, here('../poller/dist/cli.js'), 'run', '--config', join(dir, 'monitor.yaml')];
      const first = await startFollowed(args(probe.args), dir, probe.env);
      try {
        const rss = await steadyRss(first.child.pid, settleSeconds);
        if (round === 0) breakdown = await probe.read(first.child.pid);
        const progress = first.record.lines.find((l) => PROGRESS_LINE.test(l.text));
        firsts.push({ ...first.record, ...rss, progress });
      } finally {
        await stop(first.child);
      }
      for (let i = 0; i < secondStarts; i++) {
        const second = await startFollowed(args(), dir, {});
        const rss = rssMb(second.child.pid);
        await stop(second.child);
        seconds.push({ ...second.record, rss });
      }
      if (round === 0) {
        const profileDir = join(root, 'profile');
        mkdirSync(profileDir);
        const profiled = await startFollowed(args(cpuProfileArgs(profileDir)), dir, {});
        await stop(profiled.child);
        profiledStart = profiled.record;
        profile = selfTimeByPart(readProfileFrom(profileDir), [
          { name: 'GC', test: (_u, fn) => fn === '(garbage collector)' },
          { name: 'PGlite (JS and WebAssembly)', test: (u) => u.includes('@electric-sql') || u.startsWith('wasm://') },
          { name: 'store: open, migrations (poller/dist/store)', test: (u) => u.includes('poller/dist/store/') },
          { name: 'loading modules (node:internal/modules)', test: (u) => u.startsWith('node:internal/modules') },
          { name: 'other packages (express, got, pg, yaml…)', test: (u) => u.includes('node_modules/') },
          { name: 'poller start-up (config, app)', test: (u) => u.includes('poller/dist/') || u.includes('shared/dist/') },
          { name: 'other node internals', test: (u) => u.startsWith('node:') },
          { name: 'native, no JS frame (compiling, syscalls)', test: (_u, fn) => fn === '(program)' },
        ]);
      }
    }
  } finally {
    probe.cleanup();
    await stop(farm);
    rmSync(root, { recursive: true, force: true });
  }
  const steady = median(firsts.map((f) => f.steady));
  const secondStart = median(seconds.map((s) => s.listeningAfter));
  const progressShown = firsts.every((f) => f.progress && f.progress.at < f.listeningAfter);
  const met = steady <= RSS_GOAL_MB && secondStart <= SECOND_START_GOAL_S && progressShown;
  const timeline = (record) => record.lines.map((l) => `${l.at.toFixed(2)} s ${l.text.replace(/^\S+\s+/, '').slice(0, 90)}`).join('\n');
  return {
    title: 'Embedded store',
    markdown: [
      `The poller with one target and no DATABASE_URL, started as \`npm start\` starts it (\`node ${flags.join(' ')}\`) in a new directory (data_dir ./data); RSS every second for ${settleSeconds} s after it listens, steady state = median of the last third. ${firstRounds} first start(s), each followed by ${secondStarts} second start(s) on the same directory.`,
      '',
      table(['first start', 'progress line shown (s after spawn)', 'listening (s)', 'peak RSS while starting (MB)', 'peak RSS of the initdb child (MB)', 'steady RSS (MB)'], firsts.map((f, i) => [
        i + 1, f.progress ? f.progress.at.toFixed(2) : '**no progress line**', f.listeningAfter.toFixed(2), f.peakRss.toFixed(0), f.peakChildRss.toFixed(0), f.steady.toFixed(0),
      ])),
      '',
      `Progress line${firsts[0].progress ? `: “${firsts[0].progress.text.replace(/^\S+\s+/, '')}”` : ': none seen'}.`,
      '',
      table(['second start', 'listening (s after spawn)', 'RSS at listening (MB)'], seconds.map((s, i) => [i + 1, s.listeningAfter.toFixed(2), s.rss.toFixed(0)])),
      '',
      'Where the first start\'s RSS goes in steady state:',
      '',
      breakdownTable([['poller, embedded store', breakdown]]),
      '',
      `A second start under \`node --cpu-prof\` (listening after ${profiledStart.listeningAfter.toFixed(2)} s; the profiler slows it), self time until it was stopped, by part:`,
      '',
      profileMarkdown(profile),
      '',
      'Its output, with the time since spawn:',
      '',
      '```',
      timeline(seconds.at(-1)),
      '```',
    ].join('\n'),
    goals: [{
      id: 4,
      goal: `Embedded store: first start ≤ ${RSS_GOAL_MB} MB RSS steady with a visible progress line while created; second start listening in ≤ ${SECOND_START_GOAL_S} s`,
      figure: `steady ${steady.toFixed(0)} MB (peak ${Math.max(...firsts.map((f) => f.peakRss)).toFixed(0)}); progress line ${progressShown ? 'shown before listening' : 'NOT shown'}; second start ${secondStart.toFixed(2)} s`,
      peer: '—',
      ratio: `${(steady / RSS_GOAL_MB).toFixed(2)}× the RSS goal, ${(secondStart / SECOND_START_GOAL_S).toFixed(2)}× the time goal`,
      rounds: `${firstRounds} first start(s), ${firstRounds * secondStarts} second starts`,
      met,
      profile: `Second start by part (\`--cpu-prof\`): ${profile.parts.map((p) => `${p.name} ${(p.share * 100).toFixed(0)} %`).join(', ')}. Its output with times since spawn: ${seconds.at(-1).lines.map((l) => `${l.at.toFixed(2)} s “${l.text.replace(/^\S+\s+/, '').slice(0, 60)}”`).join('; ')}. Steady-state RSS of the first start: V8 heap ${breakdown.heap?.toFixed(1)} MB, outside the heap ${breakdown.other?.toFixed(1)} MB (ArrayBuffers and WebAssembly memory allocated, PGlite's among them: ${breakdown.external?.toFixed(1)} MB, reserved rather than resident), file-backed ${breakdown.file.toFixed(1)} MB.`,
      section: 'Embedded store',
    }],
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await run({ quick: process.argv.includes('--quick') });
  console.log(result.markdown, '\n', JSON.stringify(result.goals, null, 1));
}
