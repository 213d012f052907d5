import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diskFromStatfs, readCpu, readMemory, type FileReader } from '../src/index.js';
import { chainOf, parseMountinfo, parseProcCgroup } from '../src/collectors/cgroup-paths.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** Reads absolute kernel paths from a fixture directory that mirrors them. */
function fixtureReader(name: string): FileReader {
  return async (path) => {
    try {
      return await readFile(join(FIXTURES, name, path), 'utf8');
    } catch {
      return null;
    }
  };
}

const HOST_TOTAL = 8_000_000 * 1024;
const HOST_USED = (8_000_000 - 6_000_000) * 1024;
const HOST_CPU_SECONDS = (1000 + 50 + 300 + 10 + 20 + 5) / 100;
const ONLINE_CORES = 4;

describe('memory reader', () => {
  it.each([
    { name: 'cgroup v2 with a 512 MiB limit: current minus inactive_file', fixture: 'cgroup-v2-limited', expected: { usedBytes: 352_000_000, limitBytes: 536_870_912, source: 'cgroup-v2' } },
    { name: 'cgroup v2 "max": host numbers', fixture: 'cgroup-v2-max', expected: { usedBytes: HOST_USED, limitBytes: HOST_TOTAL, source: 'host' } },
    { name: 'cgroup v1 with a 1 GiB limit under a nested path', fixture: 'cgroup-v1-limited', expected: { usedBytes: 600_000_000, limitBytes: 1_073_741_824, source: 'cgroup-v1' } },
    { name: 'cgroup v1 "unlimited" 2^63: host numbers', fixture: 'cgroup-v1-unlimited', expected: { usedBytes: HOST_USED, limitBytes: HOST_TOTAL, source: 'host' } },
    { name: 'no cgroup: host total minus available', fixture: 'no-cgroup', expected: { usedBytes: HOST_USED, limitBytes: HOST_TOTAL, source: 'host' } },
    { name: 'cgroup v1, 512 MiB limit on the parent, own cgroup unlimited (fault 6): the parent\'s usage, 96.9 %, not host', fixture: 'cgroup-v1-parent-limit', expected: { usedBytes: 520_000_000, limitBytes: 536_870_912, source: 'cgroup-v1' } },
    { name: 'cgroup v1, parent not visible: hierarchical_memory_limit (fault 6)', fixture: 'cgroup-v1-hierarchical', expected: { usedBytes: 520_000_000, limitBytes: 536_870_912, source: 'cgroup-v1' } },
    { name: 'cgroup v2, process in /init under a limited root (fault 7): usage of the root, where the limit binds', fixture: 'cgroup-v2-child-of-limited-root', expected: { usedBytes: 460_000_000, limitBytes: 536_870_912, source: 'cgroup-v2' } },
    { name: 'hybrid host: v1 memory (v2 holds no memory controller), a colon in the cgroup path', fixture: 'cgroup-hybrid', expected: { usedBytes: 190_000_000, limitBytes: 268_435_456, source: 'cgroup-v1' } },
  ])('$name', async ({ fixture, expected }) => {
    expect(await readMemory(fixtureReader(fixture))).toEqual(expected);
  });

  it('garbage in a cgroup usage file: the reading fails (counted, series out), no host numbers stand in', async () => {
    await expect(readMemory(fixtureReader('cgroup-v2-garbage'))).rejects.toThrow('unexpected content in /sys/fs/cgroup/memory.current');
  });

  it('missing files: no reading (series left out), not zero', async () => {
    expect(await readMemory(fixtureReader('missing-everything'))).toBeNull();
  });
});

describe('cpu reader', () => {
  it.each([
    { name: 'cgroup v2 usage_usec and a 0.5 CPU quota', fixture: 'cgroup-v2-limited', expected: { cpuSeconds: 12.5, limitCores: 0.5, throttling: null, source: 'cgroup-v2' } },
    { name: 'cgroup v2 "max": online cores', fixture: 'cgroup-v2-max', expected: { cpuSeconds: 7, limitCores: ONLINE_CORES, throttling: null, source: 'cgroup-v2' } },
    { name: 'cgroup v1 cpuacct.usage and a 1.5 CPU CFS quota', fixture: 'cgroup-v1-limited', expected: { cpuSeconds: 42, limitCores: 1.5, throttling: null, source: 'cgroup-v1' } },
    { name: 'cgroup v1 quota -1: online cores', fixture: 'cgroup-v1-unlimited', expected: { cpuSeconds: 5, limitCores: ONLINE_CORES, throttling: null, source: 'cgroup-v1' } },
    { name: 'no cgroup: host /proc/stat non-idle time', fixture: 'no-cgroup', expected: { cpuSeconds: HOST_CPU_SECONDS, limitCores: ONLINE_CORES, throttling: null, source: 'host' } },
    {
      name: 'cgroup v1, 0.5 CPU quota on the parent (fault 6): usage and throttling of the parent, where the quota is',
      fixture: 'cgroup-v1-parent-limit',
      expected: { cpuSeconds: 100, limitCores: 0.5, throttling: { periods: 1200, throttledPeriods: 300, throttledSeconds: 45 }, source: 'cgroup-v1' },
    },
    { name: 'cgroup v1, parent not visible: no quota to see; own throttling counters', fixture: 'cgroup-v1-hierarchical', expected: { cpuSeconds: 7, limitCores: ONLINE_CORES, throttling: { periods: 10, throttledPeriods: 0, throttledSeconds: 0 }, source: 'cgroup-v1' } },
    {
      name: 'cgroup v2, process in /init under a 0.5 CPU root (fault 7): usage_usec and throttled_usec of the root',
      fixture: 'cgroup-v2-child-of-limited-root',
      expected: { cpuSeconds: 90, limitCores: 0.5, throttling: { periods: 4000, throttledPeriods: 1000, throttledSeconds: 12.5 }, source: 'cgroup-v2' },
    },
    {
      name: 'hybrid host: cpu and cpuacct on separate v1 hierarchies, quota on the slice: the slice\'s cpuacct',
      fixture: 'cgroup-hybrid',
      expected: { cpuSeconds: 9, limitCores: 0.25, throttling: { periods: 800, throttledPeriods: 200, throttledSeconds: 3 }, source: 'cgroup-v1' },
    },
  ])('$name', async ({ fixture, expected }) => {
    const reading = await readCpu(fixtureReader(fixture), undefined, ONLINE_CORES);
    expect(reading).toEqual({ ...expected, cpuSeconds: expect.closeTo(expected.cpuSeconds, 9) });
  });

  it('missing files: no reading', async () => {
    expect(await readCpu(fixtureReader('missing-everything'), undefined, ONLINE_CORES)).toBeNull();
  });

  it('garbage cpu.stat in a cgroup: the reading fails, no host numbers stand in', async () => {
    await expect(readCpu(fixtureReader('cgroup-v2-garbage'), undefined, ONLINE_CORES)).rejects.toThrow('unexpected content in /sys/fs/cgroup/cpu.stat');
  });
});

describe('cgroup discovery files', () => {
  it('/proc/self/cgroup: the path is everything after the second colon', () => {
    expect(parseProcCgroup('4:memory:/svc.slice/my:app.service\n1:cpu,cpuacct:/a\n0::/init\n')).toEqual([
      { hierarchyId: 4, controllers: ['memory'], path: '/svc.slice/my:app.service' },
      { hierarchyId: 1, controllers: ['cpu', 'cpuacct'], path: '/a' },
      { hierarchyId: 0, controllers: [], path: '/init' },
    ]);
  });

  it('/proc/self/mountinfo: cgroup mounts with optional fields, octal escapes and super options', () => {
    const text = [
      '31 25 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:15 - cgroup cgroup rw,cpu,cpuacct',
      '605 600 0:31 /docker/abc /sys/fs/cgroup/my\\040mem ro master:18 - cgroup cgroup rw,memory',
      '700 650 0:60 / /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw,nsdelegate',
      '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw',
    ].join('\n');
    expect(parseMountinfo(text)).toEqual([
      { fsType: 'cgroup', root: '/', mountPoint: '/sys/fs/cgroup/cpu,cpuacct', controllers: ['cpu', 'cpuacct'] },
      { fsType: 'cgroup', root: '/docker/abc', mountPoint: '/sys/fs/cgroup/my mem', controllers: ['memory'] },
      { fsType: 'cgroup2', root: '/', mountPoint: '/sys/fs/cgroup', controllers: [] },
    ]);
  });

  it.each([
    { name: 'host mount: every level up to the mount point', root: '/', path: '/a/b', chain: ['/m/a/b', '/m/a', '/m'] },
    { name: 'container mount of its own cgroup: the mount point only', root: '/docker/abc', path: '/docker/abc', chain: ['/m'] },
    { name: 'a child below the mounted cgroup', root: '/docker/abc', path: '/docker/abc/init', chain: ['/m/init', '/m'] },
    { name: 'a path outside the mount (another namespace): the mount point', root: '/docker/abc', path: '/other', chain: ['/m'] },
    { name: 'a path above the namespace root', root: '/', path: '/../x', chain: ['/m'] },
  ])('chain: $name', ({ root, path, chain }) => {
    expect(chainOf({ root, mountPoint: '/m' }, path)).toEqual(chain);
  });
});

describe('disk usage as df computes it', () => {
  it('counts the root reserve as unavailable', () => {
    // 1000 blocks of 4 KiB, 300 free for root, 250 for users: used 700, Use% = 700 / (700 + 250).
    expect(diskFromStatfs('/data', { blocks: 1000, bfree: 300, bavail: 250, bsize: 4096 })).toEqual({
      path: '/data',
      sizeBytes: 4_096_000,
      freeBytes: 1_024_000,
      usedBytes: 2_867_200,
      usageRatio: 700 / 950,
    });
  });

  it('an empty filesystem is 0, not NaN', () => {
    expect(diskFromStatfs('/x', { blocks: 0, bfree: 0, bavail: 0, bsize: 4096 }).usageRatio).toBe(0);
  });
});
