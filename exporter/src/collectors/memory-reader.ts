/**
 * Memory in use by the container and its limit: cgroup v2 (`memory.current`
 * minus `inactive_file`), then v1 (`memory.usage_in_bytes` minus
 * `total_inactive_file`), else the host (MemTotal − MemAvailable). Page cache
 * that the kernel can reclaim is not "used": that is how the OOM killer and
 * `docker stats` see it too.
 */
import type { FileReader } from '../file-reader.js';
import { detectCgroup, parseKeyValues, parseLimit, readFirst, type CgroupLayout } from './cgroup.js';

export interface MemoryReading {
  usedBytes: number;
  limitBytes: number;
  source: 'cgroup-v2' | 'cgroup-v1' | 'host';
}

/** MemTotal and MemAvailable from /proc/meminfo, in bytes. */
export function parseMeminfo(text: string): { totalBytes: number; availableBytes: number } | null {
  const kib = (key: string) => {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
    return match ? Number(match[1]) * 1024 : null;
  };
  const total = kib('MemTotal');
  const available = kib('MemAvailable') ?? kib('MemFree');
  return total === null || available === null ? null : { totalBytes: total, availableBytes: available };
}

async function cgroupMemory(read: FileReader, layout: CgroupLayout, hostTotal: number): Promise<MemoryReading | null> {
  if (layout.version === 2) {
    const current = await readFirst(read, layout.dirs, 'memory.current');
    if (current === null || !/^\d+\s*$/.test(current)) return null;
    const stat = parseKeyValues((await readFirst(read, layout.dirs, 'memory.stat')) ?? '');
    const limit = parseLimit(await readFirst(read, layout.dirs, 'memory.max'), hostTotal);
    const used = Math.max(0, Number(current) - (stat.get('inactive_file') ?? 0));
    return { usedBytes: used, limitBytes: limit ?? hostTotal, source: 'cgroup-v2' };
  }
  if (layout.version === 1) {
    const usage = await readFirst(read, layout.memoryDirs, 'memory.usage_in_bytes');
    if (usage === null || !/^\d+\s*$/.test(usage)) return null;
    const stat = parseKeyValues((await readFirst(read, layout.memoryDirs, 'memory.stat')) ?? '');
    const limit = parseLimit(await readFirst(read, layout.memoryDirs, 'memory.limit_in_bytes'), hostTotal);
    const used = Math.max(0, Number(usage) - (stat.get('total_inactive_file') ?? stat.get('inactive_file') ?? 0));
    return { usedBytes: used, limitBytes: limit ?? hostTotal, source: 'cgroup-v1' };
  }
  return null;
}

/**
 * Reads memory as the container sees it. Without a cgroup limit the
 * container can use the whole host, so host numbers are the truth.
 */
export async function readMemory(read: FileReader, layout?: CgroupLayout): Promise<MemoryReading | null> {
  const meminfo = parseMeminfo((await read('/proc/meminfo')) ?? '');
  if (!meminfo) return null;
  const host: MemoryReading = { usedBytes: meminfo.totalBytes - meminfo.availableBytes, limitBytes: meminfo.totalBytes, source: 'host' };
  const cgroup = await cgroupMemory(read, layout ?? (await detectCgroup(read)), meminfo.totalBytes);
  if (!cgroup || cgroup.limitBytes >= meminfo.totalBytes) return host;
  return cgroup;
}
