/**
 * A reading that fails leaves its series out of /metrics (never a 0 from
 * prom-client's reset) and is counted in resource_collector_errors_total in
 * the same scrape (fault 8); a watched path that does not exist is a counted
 * disk error for the module (fault 9).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseExposition, type Sample } from '../../poller/src/exposition/index.js';
import { readKernelFile, startResourceMonitoring, type FileReader, type ResourceMonitor } from '../src/index.js';

const monitors: ResourceMonitor[] = [];
afterEach(async () => {
  while (monitors.length) await monitors.pop()!.stopMonitoring();
});

/** The real kernel files, except that paths matching `failing` fail as an unreadable file does. */
function failingReader(failing: RegExp): FileReader {
  return async (path) => {
    if (failing.test(path)) throw Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES' });
    return readKernelFile(path);
  };
}

/** A clock the test moves past the 200 ms sharing window, so each scrape is a fresh reading. */
function steppedClock() {
  let now = 1_000_000;
  return { now: () => now, step: () => (now += 60_000) };
}

async function scrape(monitor: ResourceMonitor): Promise<Sample[]> {
  const outcome = parseExposition(await monitor.registry.metrics());
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.samples;
}

const valueOf = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

describe('failed readings', () => {
  it('unreadable memory files: no memory series at all, and the error counted in that same scrape', async () => {
    const clock = steppedClock();
    const monitor = startResourceMonitoring('svc', { collectDefaultMetrics: false, diskPaths: ['/'], clock, readFile: failingReader(/memory|meminfo/) });
    monitors.push(monitor);
    const first = await scrape(monitor);
    expect(first.filter((s) => s.name.startsWith('resource_memory_'))).toEqual([]);
    expect(valueOf(first, 'resource_collector_errors_total', { collector: 'memory' })).toBe(1);
    expect(valueOf(first, 'resource_collector_errors_total', { collector: 'cpu' })).toBe(0);
    expect(valueOf(first, 'resource_cpu_limit_cores')).toBeGreaterThan(0);
    clock.step();
    const second = await scrape(monitor);
    expect(valueOf(second, 'resource_collector_errors_total', { collector: 'memory' })).toBe(2);
    expect(second.filter((s) => s.name.startsWith('resource_memory_'))).toEqual([]);
  });

  it('unreadable CPU files: no CPU series (not "0 seconds", not "0 cores"), counted in that scrape', async () => {
    const monitor = startResourceMonitoring('svc', { collectDefaultMetrics: false, diskPaths: ['/'], clock: steppedClock(), readFile: failingReader(/cpu|\/proc\/stat$/) });
    monitors.push(monitor);
    const samples = await scrape(monitor);
    expect(samples.filter((s) => s.name.startsWith('resource_cpu_'))).toEqual([]);
    expect(valueOf(samples, 'resource_collector_errors_total', { collector: 'cpu' })).toBe(1);
    expect(valueOf(samples, 'resource_memory_limit_bytes')).toBeGreaterThan(0);
  });

  it('a watched path that does not exist: no disk series for it, a disk error counted (module)', async () => {
    const monitor = startResourceMonitoring('svc', { collectDefaultMetrics: false, diskPaths: ['/', '/nonexistent-chroma-monitor-path'], clock: steppedClock() });
    monitors.push(monitor);
    const samples = await scrape(monitor);
    expect(samples.filter((s) => s.name === 'resource_disk_size_bytes').map((s) => s.labels.path)).toEqual(['/']);
    expect(valueOf(samples, 'resource_collector_errors_total', { collector: 'disk' })).toBe(1);
  });

  it('getCurrentStatus says null for a failed reading, not zeros', async () => {
    const monitor = startResourceMonitoring('svc', { collectDefaultMetrics: false, diskPaths: [], clock: steppedClock(), readFile: failingReader(/memory|meminfo/) });
    monitors.push(monitor);
    expect((await monitor.getCurrentStatus()).memory).toBeNull();
  });
});

describe('a process moved into another cgroup after start', () => {
  it('is read in its new cgroup from the next fresh reading on', async () => {
    const files = new Map<string, string>([
      ['/proc/self/cgroup', '0::/a\n'],
      ['/proc/self/mountinfo', '700 650 0:60 / /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw\n'],
      ['/proc/meminfo', 'MemTotal: 8000000 kB\nMemAvailable: 6000000 kB\n'],
      ['/proc/stat', 'cpu  1000 50 300 90000 100 10 20 5 0 0\n'],
      ['/sys/fs/cgroup/cgroup.controllers', 'cpu memory\n'],
      ['/sys/fs/cgroup/a/memory.max', '100000000\n'],
      ['/sys/fs/cgroup/a/memory.current', '50000000\n'],
      ['/sys/fs/cgroup/a/cpu.stat', 'usage_usec 1000000\n'],
      ['/sys/fs/cgroup/b/memory.max', '200000000\n'],
      ['/sys/fs/cgroup/b/memory.current', '20000000\n'],
      ['/sys/fs/cgroup/b/cpu.stat', 'usage_usec 2000000\n'],
    ]);
    const clock = steppedClock();
    const monitor = startResourceMonitoring('svc', { collectDefaultMetrics: false, diskPaths: [], clock, readFile: async (path) => files.get(path) ?? null });
    monitors.push(monitor);
    expect(valueOf(await scrape(monitor), 'resource_memory_limit_bytes')).toBe(100_000_000);
    files.set('/proc/self/cgroup', '0::/b\n');
    clock.step();
    const moved = await scrape(monitor);
    expect(valueOf(moved, 'resource_memory_limit_bytes')).toBe(200_000_000);
    expect(valueOf(moved, 'resource_memory_used_bytes')).toBe(20_000_000);
  });
});

describe('the reading-sharing window (fault 11, documented in the sampler and README)', () => {
  it('requests under 200 ms after a reading share it; at 200 ms a fresh reading is taken', async () => {
    let now = 5_000_000;
    let meminfoReads = 0;
    const readFile: FileReader = async (path) => {
      if (path === '/proc/meminfo') meminfoReads++;
      return readKernelFile(path);
    };
    const monitor = startResourceMonitoring('svc', { collectDefaultMetrics: false, diskPaths: [], clock: { now: () => now }, readFile });
    monitors.push(monitor);
    await scrape(monitor);
    expect(meminfoReads).toBe(1); // one scrape, every metric, one reading
    now += 199;
    await scrape(monitor);
    expect(meminfoReads).toBe(1);
    now += 1;
    await scrape(monitor);
    expect(meminfoReads).toBe(2);
  });
});
