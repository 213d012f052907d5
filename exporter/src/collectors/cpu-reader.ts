/**
 * CPU time used and the CPU limit: cgroup v2 (`cpu.stat` usage_usec,
 * `cpu.max` quota/period), then v1 (`cpuacct.usage` in ns,
 * `cpu.cfs_quota_us`/`cpu.cfs_period_us`), else the host (/proc/stat
 * non-idle time, online cores).
 */
import { availableParallelism } from 'node:os';
import type { FileReader } from '../file-reader.js';
import { detectCgroup, parseKeyValues, readFirst, type CgroupLayout } from './cgroup.js';

export interface CpuReading {
  /** CPU seconds consumed, monotonically increasing. */
  cpuSeconds: number;
  /** Cores the container may use. */
  limitCores: number;
  source: 'cgroup-v2' | 'cgroup-v1' | 'host';
}

/** Linux reports /proc/stat in USER_HZ ticks, 100 per second on every mainstream architecture. */
const USER_HZ = 100;

/** Non-idle CPU seconds of the whole host from the `cpu` line of /proc/stat. */
export function parseProcStat(text: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return null;
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  if (fields.length < 4 || fields.some((n) => !Number.isFinite(n))) return null;
  // user nice system idle iowait irq softirq steal (guest is already inside user).
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) / USER_HZ;
}

/** `cpu.max` ("quota period" or "max period") in cores, or null without a quota. */
export function parseCpuMax(text: string | null): number | null {
  if (text === null) return null;
  const [quota, period] = text.trim().split(/\s+/);
  if (quota === undefined || quota === 'max' || period === undefined) return null;
  const cores = Number(quota) / Number(period);
  return Number.isFinite(cores) && cores > 0 ? cores : null;
}

/** v1 quota/period in cores; a quota of -1 means none. */
export function parseCfsQuota(quota: string | null, period: string | null): number | null {
  if (quota === null || period === null) return null;
  const q = Number(quota.trim());
  const p = Number(period.trim());
  return q > 0 && p > 0 ? q / p : null;
}

async function cgroupCpu(read: FileReader, layout: CgroupLayout, onlineCores: number): Promise<CpuReading | null> {
  if (layout.version === 2) {
    const stat = await readFirst(read, layout.dirs, 'cpu.stat');
    const usage = stat === null ? undefined : parseKeyValues(stat).get('usage_usec');
    if (usage === undefined) return null;
    const limit = parseCpuMax(await readFirst(read, layout.dirs, 'cpu.max'));
    return { cpuSeconds: usage / 1e6, limitCores: Math.min(limit ?? onlineCores, onlineCores), source: 'cgroup-v2' };
  }
  if (layout.version === 1) {
    const usage = await readFirst(read, layout.cpuacctDirs, 'cpuacct.usage');
    if (usage === null || !/^\d+\s*$/.test(usage)) return null;
    const limit = parseCfsQuota(
      await readFirst(read, layout.cpuDirs, 'cpu.cfs_quota_us'),
      await readFirst(read, layout.cpuDirs, 'cpu.cfs_period_us'),
    );
    return { cpuSeconds: Number(usage) / 1e9, limitCores: Math.min(limit ?? onlineCores, onlineCores), source: 'cgroup-v1' };
  }
  return null;
}

export async function readCpu(read: FileReader, layout?: CgroupLayout, onlineCores = availableParallelism()): Promise<CpuReading | null> {
  const cgroup = await cgroupCpu(read, layout ?? (await detectCgroup(read)), onlineCores);
  if (cgroup) return cgroup;
  const host = parseProcStat((await read('/proc/stat')) ?? '');
  return host === null ? null : { cpuSeconds: host, limitCores: onlineCores, source: 'host' };
}
