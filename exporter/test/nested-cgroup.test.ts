/**
 * The sidecar in a real nested cgroup (faults 6 and 7 on a live kernel): a
 * parent cgroup with a 256 MiB memory limit and a 0.5-CPU quota, the sidecar
 * in a child with no limits of its own, and a second process in the parent
 * holding 64 MiB and spinning against the quota. The sidecar must report the
 * parent's limits, and usage as the kernel's own files for the parent say.
 *
 * Needs root and writable cgroup v1 memory, cpu and cpuacct hierarchies;
 * skips with the reason elsewhere, and fails under CI=true.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExposition, type Sample } from '../../poller/src/exposition/index.js';
import { captureOutput } from '../../test-support/captured-output.js';
import { cgroupSandboxUnavailable, createCgroupSandbox, type CgroupSandbox } from '../../test-support/cgroup-sandbox.js';
import { freePort } from '../../test-support/net.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const LIMIT_BYTES = 256 * 1024 * 1024;
const HOG_BYTES = 64 * 1024 * 1024;

/** A process started by `sh`, which first writes its own pid into `procsFiles`, then execs the command. */
function spawnInCgroup(procsFiles: string[], command: string[]): { child: ChildProcess; output: () => string; exited: Promise<void> } {
  const moves = procsFiles.map((file) => `echo $$ > '${file}'`).join(' && ');
  const child = spawn('/bin/sh', ['-c', `${moves} && exec "$0" "$@"`, ...command], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => captureOutput(output));
  return { child, output: () => output, exited };
}

async function waitForOutput(process: { output: () => string; exited: Promise<void> }, pattern: RegExp): Promise<void> {
  let done = false;
  void process.exited.then(() => (done = true));
  for (let i = 0; i < 300 && !pattern.test(process.output()); i++) {
    if (done) throw new Error(`process exited before ${pattern}: ${process.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!pattern.test(process.output())) throw new Error(`timed out waiting for ${pattern}: ${process.output()}`);
}

async function stop(process: { child: ChildProcess; exited: Promise<void> } | undefined): Promise<void> {
  if (!process || process.child.exitCode !== null || process.child.signalCode !== null) return;
  process.child.kill('SIGKILL');
  await process.exited;
}

/** What the kernel says for the parent cgroup right now. */
function kernelReading(sandbox: CgroupSandbox) {
  const stat = (text: string, key: string) => Number(new RegExp(`^${key} (\\d+)$`, 'm').exec(text)![1]);
  const memoryStat = readFileSync(`${sandbox.parent.memory}/memory.stat`, 'utf8');
  const cpuStat = readFileSync(`${sandbox.parent.cpu}/cpu.stat`, 'utf8');
  return {
    usedBytes: Number(readFileSync(`${sandbox.parent.memory}/memory.usage_in_bytes`, 'utf8')) - stat(memoryStat, 'total_inactive_file'),
    cpuSeconds: Number(readFileSync(`${sandbox.parent.cpuacct}/cpuacct.usage`, 'utf8')) / 1e9,
    periods: stat(cpuStat, 'nr_periods'),
    throttledPeriods: stat(cpuStat, 'nr_throttled'),
  };
}

const unavailable = cgroupSandboxUnavailable();

describe('the sidecar in a child of a limited cgroup (real cgroup v1)', () => {
  let sandbox: CgroupSandbox | null = null;
  let setupError: string | null = unavailable;
  let sidecar: ReturnType<typeof spawnInCgroup> | undefined;
  let hog: ReturnType<typeof spawnInCgroup> | undefined;
  let samples: Sample[] = [];
  let before: ReturnType<typeof kernelReading>;
  let after: ReturnType<typeof kernelReading>;

  beforeAll(async () => {
    if (setupError) return;
    try {
      sandbox = createCgroupSandbox({ memoryBytes: LIMIT_BYTES, cpuQuotaUs: 50_000, cpuPeriodUs: 100_000 });
    } catch (error) {
      setupError = `cannot create cgroups: ${(error as Error).message}`;
      return;
    }
    const parentProcs = [...new Set(Object.values(sandbox.parent))].map((dir) => `${dir}/cgroup.procs`);
    const childProcs = [...new Set(Object.values(sandbox.child))].map((dir) => `${dir}/cgroup.procs`);
    // 64 MiB touched page by page, then a busy loop of 600 ms against the 0.5-CPU quota, then idle.
    const hogScript = `const b = Buffer.alloc(${HOG_BYTES}, 1); const end = Date.now() + 600; while (Date.now() < end); console.log('ready', b.length); setInterval(() => {}, 1e9);`;
    hog = spawnInCgroup(parentProcs, [process.execPath, '-e', hogScript]);
    await waitForOutput(hog, /ready/);
    const port = await freePort();
    sidecar = spawnInCgroup(childProcs, [process.execPath, CLI, '--service', 'nested', '--port', String(port), '--host', '127.0.0.1', '--disk', '/']);
    await waitForOutput(sidecar, /listening on/);
    before = kernelReading(sandbox);
    const outcome = parseExposition(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
    after = kernelReading(sandbox);
    if (!outcome.ok) throw new Error(outcome.error.message);
    samples = outcome.samples;
  });

  afterAll(async () => {
    // Processes first: a cgroup with tasks cannot be removed.
    await stop(sidecar);
    await stop(hog);
    sandbox?.remove();
  });

  const value = (name: string) => {
    const found = samples.find((s) => s.name === name);
    if (!found) throw new Error(`${name} missing from the sidecar's output`);
    return found.value;
  };

  it('could create its cgroups (skipped with the reason where it cannot; fails under CI=true)', (ctx) => {
    if (setupError && process.env.CI !== 'true') {
      console.warn(`skipping the nested-cgroup test: ${setupError}`);
      ctx.skip();
    }
    expect(setupError).toBeNull();
  });

  it("reports the parent's 256 MiB memory limit and 0.5-CPU quota, not the child's (none) or the host's", (ctx) => {
    if (setupError) return ctx.skip();
    expect(value('resource_memory_limit_bytes')).toBe(268_435_456);
    expect(value('resource_cpu_limit_cores')).toBe(0.5);
  });

  it("memory used is the parent's, as its memory.usage_in_bytes minus total_inactive_file says, the 64 MiB of the other process included", (ctx) => {
    if (setupError) return ctx.skip();
    const slack = 4 * 1024 * 1024; // the sidecar's own allocations between our reads and its own
    const used = value('resource_memory_used_bytes');
    expect(used).toBeGreaterThanOrEqual(Math.min(before.usedBytes, after.usedBytes) - slack);
    expect(used).toBeLessThanOrEqual(Math.max(before.usedBytes, after.usedBytes) + slack);
    expect(used).toBeGreaterThan(HOG_BYTES);
    expect(value('resource_memory_usage_ratio')).toBeCloseTo(used / LIMIT_BYTES, 12);
  });

  it("CPU time and throttling counters are the parent's, between the kernel's readings before and after the scrape", (ctx) => {
    if (setupError) return ctx.skip();
    const cpuSeconds = value('resource_cpu_seconds_total');
    expect(cpuSeconds).toBeGreaterThanOrEqual(before.cpuSeconds);
    expect(cpuSeconds).toBeLessThanOrEqual(after.cpuSeconds);
    expect(cpuSeconds).toBeGreaterThan(0.2); // two node start-ups and a 600 ms spin (at most half of it, by the quota)
    const periods = value('resource_cpu_periods_total');
    expect(periods).toBeGreaterThanOrEqual(before.periods);
    expect(periods).toBeLessThanOrEqual(after.periods);
    expect(periods).toBeGreaterThan(0);
    const throttled = value('resource_cpu_throttled_periods_total');
    expect(throttled).toBeGreaterThanOrEqual(before.throttledPeriods);
    expect(throttled).toBeLessThanOrEqual(after.throttledPeriods);
  });
});
