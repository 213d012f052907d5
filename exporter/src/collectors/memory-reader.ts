/**
 * Memory in use by the container and its limit: cgroup v2 (`memory.current`
 * minus `inactive_file`), or v1 (`memory.usage_in_bytes` minus
 * `total_inactive_file`), else the host (MemTotal − MemAvailable). Page cache
 * that the kernel can reclaim is not "used": that is how the OOM killer and
 * `docker stats` see it too.
 *
 * The limit is the smallest along the cgroup chain up to the visible root
 * (`memory.max` / `memory.limit_in_bytes` at each level; v1 also
 * `hierarchical_memory_limit` from memory.stat, which already holds the
 * smallest of the ancestors the kernel knows, visible or not).
 */
import type { FileReader } from '../file-reader.js';
import { bindingLevel, detectCgroup, parseCount, parseKeyValues, parseLimit, readFirst, smallestLimit, type CgroupLayout } from './cgroup.js';

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

/** Thrown when a cgroup file exists but does not hold what the kernel writes there: the reading fails, no host numbers stand in. */
export class UnreadableCgroupFile extends Error {
  constructor(path: string) {
    super(`unexpected content in ${path}`);
    this.name = 'UnreadableCgroupFile';
  }
}

/** The container's memory, null when the process has no memory cgroup with usage files (then the host is the truth). */
async function cgroupMemory(read: FileReader, layout: CgroupLayout, hostTotal: number): Promise<MemoryReading | null> {
  const hierarchy = layout.memory;
  if (!hierarchy) return null;
  const v2 = hierarchy.version === 2;
  const usageFile = v2 ? 'memory.current' : 'memory.usage_in_bytes';
  if (!(await readFirst(read, hierarchy.chain, usageFile))) return null;
  const limitFile = v2 ? 'memory.max' : 'memory.limit_in_bytes';
  const chainLimit = await smallestLimit(hierarchy.chain, async (dir) => parseLimit(await read(`${dir}/${limitFile}`), hostTotal));
  // Usage of the cgroup whose limit binds (its processes all count against it), else of the process's own.
  const usage = (await readFirst(read, bindingLevel(hierarchy, hierarchy, chainLimit?.index ?? 0), usageFile)) ?? (await readFirst(read, hierarchy.chain, usageFile));
  if (!usage) return null;
  const current = parseCount(usage.text);
  if (current === null) throw new UnreadableCgroupFile(`${usage.dir}/${usageFile}`);
  const stat = parseKeyValues((await read(`${usage.dir}/memory.stat`)) ?? '');
  let limit = chainLimit?.value ?? null;
  if (!v2) {
    // The kernel's own minimum over every ancestor, including those this mount namespace cannot see.
    const hierarchical = stat.get('hierarchical_memory_limit');
    if (hierarchical !== undefined && hierarchical > 0 && hierarchical < hostTotal && (limit === null || hierarchical < limit)) limit = hierarchical;
  }
  const inactive = v2 ? stat.get('inactive_file') : (stat.get('total_inactive_file') ?? stat.get('inactive_file'));
  const used = Math.max(0, current - (inactive ?? 0));
  return { usedBytes: used, limitBytes: limit ?? hostTotal, source: v2 ? 'cgroup-v2' : 'cgroup-v1' };
}

/**
 * Reads memory as the container sees it. Without a cgroup limit the
 * container can use the whole host, so host numbers are the truth. Rejects
 * (the caller counts a failed reading) when a file that exists cannot be read
 * or holds garbage; resolves null when even /proc/meminfo is missing.
 */
export async function readMemory(read: FileReader, layout?: CgroupLayout): Promise<MemoryReading | null> {
  const meminfo = parseMeminfo((await read('/proc/meminfo')) ?? '');
  if (!meminfo) return null;
  const host: MemoryReading = { usedBytes: meminfo.totalBytes - meminfo.availableBytes, limitBytes: meminfo.totalBytes, source: 'host' };
  const cgroup = await cgroupMemory(read, layout ?? (await detectCgroup(read)), meminfo.totalBytes);
  if (!cgroup || cgroup.limitBytes >= meminfo.totalBytes) return host;
  return cgroup;
}
