// Shared helpers for the benchmarks: process CPU and RSS from /proc, rounds, medians, tables.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import os from 'node:os';

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Resident set size in MB, from /proc/<pid>/status. */
export function rssMb(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** "median (min–max)" with `digits` decimals. */
export function spread(values, digits = 2) {
  const f = (v) => v.toFixed(digits);
  return `${f(median(values))} (${f(Math.min(...values))}–${f(Math.max(...values))})`;
}

export function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export function machine() {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, Linux ${os.release()}, Node ${process.version}`;
}

export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Spawns a process and resolves once `pattern` shows in its output. */
export async function start(command, args, pattern, env = {}) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} did not start: ${output}`)), 20_000);
    const check = (chunk) => {
      output += chunk;
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.once('exit', () => reject(new Error(`${command} exited: ${output}`)));
  });
  child.removeAllListeners('exit');
  child.startOutput = output;
  return child;
}

export async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A throwaway database on the local server for one benchmark; drop() removes it. */
export async function createBenchDatabase() {
  const { default: pg } = await import('pg');
  const { randomBytes } = await import('node:crypto');
  const server = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `chroma_bench_${randomBytes(4).toString('hex')}`;
  // A connection per statement: a benchmark that restarts PostgreSQL (the soak) must not hold one open.
  const admin = async (sql) => {
    const client = new pg.Client({ connectionString: server });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE ${name} WITH (FORCE)`) };
}

/** CPU seconds of all a process's live threads from /proc/<pid>/task/<tid>/schedstat (ns resolution, unlike the 10 ms ticks of cpuSeconds). */
export function cpuSecondsPrecise(pid) {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread exited between the listing and the read: its time is gone with it
    }
  }
  return ns / 1e9;
}

const repoFile = (path) => readFileSync(fileURLToPath(new URL(`../${path}`, import.meta.url)), 'utf8');

/** The node flags `npm start` runs the poller with (package.json's start script, e.g. ['--liftoff-only']). */
export function npmStartNodeFlags() {
  const start = JSON.parse(repoFile('package.json')).scripts.start;
  const match = /^node((?:\s+--\S+)*)\s+poller\/dist\/cli\.js\b/.exec(start);
  if (!match) throw new Error(`package.json's start script is not "node [flags] poller/dist/cli.js …": ${start}`);
  return match[1].trim().split(/\s+/).filter(Boolean);
}

/** The node flags deploy/with-exporter.sh starts the sidecar with (e.g. ['--max-semi-space-size=1', '--max-old-space-size=32']). */
export function sidecarNodeFlags() {
  const match = /^\s*node((?:\s+--\S+)*)\s+\S*exporter\/dist\/cli\.js\b/m.exec(repoFile('deploy/with-exporter.sh'));
  if (!match) throw new Error('deploy/with-exporter.sh does not start "node [flags] …exporter/dist/cli.js"');
  return match[1].trim().split(/\s+/).filter(Boolean);
}
