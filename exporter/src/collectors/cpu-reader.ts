/**
 * CPU time used, the CPU limit and CFS throttling: cgroup v2 (`cpu.stat`
 * usage_usec, `cpu.max` quota/period), or v1 (`cpuacct.usage` in ns,
 * `cpu.cfs_quota_us`/`cpu.cfs_period_us`, `cpu.stat`), else the host
 * (/proc/stat non-idle time, online cores).
 *
 * The quota is the smallest along the cgroup chain up to the visible root
 * (kernel sched-bwc.rst: a child can never run more than its parent's
 * quota). CPU time and throttling are read in the cgroup that sets that
 * quota, where the kernel enforces and counts it; without a quota, in the
 * process's own cgroup.
 */
import { availableParallelism } from 'node:os';
import type { FileReader } from '../file-reader.js';
import { detectCgroup, parseCount, parseKeyValues, readFirst, smallestLimit, bindingLevel, type CgroupHierarchy, type CgroupLayout } from './cgroup.js';
import { UnreadableCgroupFile } from './memory-reader.js';

/** CFS bandwidth counters of cpu.stat (kernel sched-bwc.rst), monotonically increasing. */
export interface CpuThrottling {
  /** Enforcement periods that have elapsed (nr_periods). */
  periods: number;
  /** Periods in which the group was throttled (nr_throttled). */
  throttledPeriods: number;
  /** Time the group's tasks were throttled, in seconds (v1 throttled_time ns, v2 throttled_usec µs). */
  throttledSeconds: number;
}

export interface CpuReading {
  /** CPU seconds consumed, monotonically increasing. */
  cpuSeconds: number;
  /** Cores the container may use. */
  limitCores: number;
  /** CFS throttling counters; null outside a cgroup or where cpu.stat lacks them. */
  throttling: CpuThrottling | null;
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

/** Throttling counters of a cpu.stat text (v1: throttled_time in ns; v2: throttled_usec). */
export function parseThrottling(text: string | null, version: 1 | 2): CpuThrottling | null {
  if (text === null) return null;
  const stat = parseKeyValues(text);
  const periods = stat.get('nr_periods');
  const throttledPeriods = stat.get('nr_throttled');
  const throttled = version === 2 ? stat.get('throttled_usec') : stat.get('throttled_time');
  if (periods === undefined || throttledPeriods === undefined || throttled === undefined) return null;
  return { periods, throttledPeriods, throttledSeconds: throttled / (version === 2 ? 1e6 : 1e9) };
}

async function quotaAndThrottling(read: FileReader, cpu: CgroupHierarchy | null): Promise<{ limit: number | null; index: number; throttling: CpuThrottling | null }> {
  if (!cpu) return { limit: null, index: 0, throttling: null };
  const quota = await smallestLimit(cpu.chain, async (dir) =>
    cpu.version === 2 ? parseCpuMax(await read(`${dir}/cpu.max`)) : parseCfsQuota(await read(`${dir}/cpu.cfs_quota_us`), await read(`${dir}/cpu.cfs_period_us`)),
  );
  const statText = quota ? await read(`${quota.dir}/cpu.stat`) : ((await readFirst(read, cpu.chain, 'cpu.stat'))?.text ?? null);
  return { limit: quota?.value ?? null, index: quota?.index ?? 0, throttling: parseThrottling(statText, cpu.version) };
}

async function cgroupCpu(read: FileReader, layout: CgroupLayout, onlineCores: number): Promise<CpuReading | null> {
  const usageHierarchy = layout.cpuacct ?? layout.cpu;
  if (!usageHierarchy) return null;
  const { limit, index, throttling } = await quotaAndThrottling(read, layout.cpu);
  // CPU time of the cgroup whose quota binds (the kernel throttles the sum below it), else the process's own.
  const binding = layout.cpu ? bindingLevel(usageHierarchy, layout.cpu, index) : [];
  let cpuSeconds: number;
  if (usageHierarchy.version === 2) {
    const stat = (await readFirst(read, binding, 'cpu.stat')) ?? (await readFirst(read, usageHierarchy.chain, 'cpu.stat'));
    if (!stat) return null;
    const usage = parseKeyValues(stat.text).get('usage_usec');
    if (usage === undefined) throw new UnreadableCgroupFile(`${stat.dir}/cpu.stat`);
    cpuSeconds = usage / 1e6;
  } else {
    const usage = (await readFirst(read, binding, 'cpuacct.usage')) ?? (await readFirst(read, usageHierarchy.chain, 'cpuacct.usage'));
    if (!usage) return null;
    const ns = parseCount(usage.text);
    if (ns === null) throw new UnreadableCgroupFile(`${usage.dir}/cpuacct.usage`);
    cpuSeconds = ns / 1e9;
  }
  return {
    cpuSeconds,
    limitCores: Math.min(limit ?? onlineCores, onlineCores),
    throttling,
    source: usageHierarchy.version === 2 ? 'cgroup-v2' : 'cgroup-v1',
  };
}

/**
 * Reads CPU as the container sees it. Rejects (the caller counts a failed
 * reading) when a cgroup file that exists holds garbage; resolves null when
 * not even /proc/stat can be read.
 */
export async function readCpu(read: FileReader, layout?: CgroupLayout, onlineCores = availableParallelism()): Promise<CpuReading | null> {
  const cgroup = await cgroupCpu(read, layout ?? (await detectCgroup(read)), onlineCores);
  if (cgroup) return cgroup;
  const host = parseProcStat((await read('/proc/stat')) ?? '');
  return host === null ? null : { cpuSeconds: host, limitCores: onlineCores, throttling: null, source: 'host' };
}
