import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diskFromStatfs, readCpu, readMemory, type FileReader } from '../src/index.js';

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
    { name: 'garbage cgroup files: host numbers', fixture: 'cgroup-v2-garbage', expected: { usedBytes: HOST_USED, limitBytes: HOST_TOTAL, source: 'host' } },
  ])('$name', async ({ fixture, expected }) => {
    expect(await readMemory(fixtureReader(fixture))).toEqual(expected);
  });

  it('missing files: no reading (series left out), not zero', async () => {
    expect(await readMemory(fixtureReader('missing-everything'))).toBeNull();
  });
});

describe('cpu reader', () => {
  it.each([
    { name: 'cgroup v2 usage_usec and a 0.5 CPU quota', fixture: 'cgroup-v2-limited', expected: { cpuSeconds: 12.5, limitCores: 0.5, source: 'cgroup-v2' } },
    { name: 'cgroup v2 "max": online cores', fixture: 'cgroup-v2-max', expected: { cpuSeconds: 7, limitCores: ONLINE_CORES, source: 'cgroup-v2' } },
    { name: 'cgroup v1 cpuacct.usage and a 1.5 CPU CFS quota', fixture: 'cgroup-v1-limited', expected: { cpuSeconds: 42, limitCores: 1.5, source: 'cgroup-v1' } },
    { name: 'cgroup v1 quota -1: online cores', fixture: 'cgroup-v1-unlimited', expected: { cpuSeconds: 5, limitCores: ONLINE_CORES, source: 'cgroup-v1' } },
    { name: 'no cgroup: host /proc/stat non-idle time', fixture: 'no-cgroup', expected: { cpuSeconds: HOST_CPU_SECONDS, limitCores: ONLINE_CORES, source: 'host' } },
    { name: 'garbage cpu.stat: host', fixture: 'cgroup-v2-garbage', expected: { cpuSeconds: HOST_CPU_SECONDS, limitCores: ONLINE_CORES, source: 'host' } },
  ])('$name', async ({ fixture, expected }) => {
    const reading = await readCpu(fixtureReader(fixture), undefined, ONLINE_CORES);
    expect(reading).toEqual({ ...expected, cpuSeconds: expect.closeTo(expected.cpuSeconds, 9) });
  });

  it('missing files: no reading', async () => {
    expect(await readCpu(fixtureReader('missing-everything'), undefined, ONLINE_CORES)).toBeNull();
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
