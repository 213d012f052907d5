/**
 * Finds the process's cgroup directories. cgroup v2 is one unified tree; v1
 * has one tree per controller. Inside a container the process's own cgroup
 * is usually mounted at the root, so the root files are tried after the path
 * named in /proc/self/cgroup.
 */
import type { FileReader } from '../file-reader.js';

export const CGROUP_ROOT = '/sys/fs/cgroup';

export type CgroupLayout =
  | { version: 2; dirs: string[] }
  | { version: 1; memoryDirs: string[]; cpuDirs: string[]; cpuacctDirs: string[] }
  | { version: null };

/** Lines of /proc/self/cgroup: `id:controllers:path`. */
function cgroupPaths(procSelfCgroup: string): { unified: string | null; byController: Map<string, string> } {
  let unified: string | null = null;
  const byController = new Map<string, string>();
  for (const line of procSelfCgroup.split('\n')) {
    const [id, controllers, path] = line.split(':');
    if (path === undefined) continue;
    if (id === '0' && controllers === '') unified = path;
    for (const controller of (controllers ?? '').split(',')) if (controller) byController.set(controller, path);
  }
  return { unified, byController };
}

const candidates = (base: string, path: string | null | undefined) =>
  path && path !== '/' ? [`${base}${path}`, base] : [base];

/** Detects the layout: v2 when the unified root offers the memory or cpu controller, else v1, else none. */
export async function detectCgroup(read: FileReader, root = CGROUP_ROOT): Promise<CgroupLayout> {
  const self = cgroupPaths((await read('/proc/self/cgroup')) ?? '');
  const controllers = await read(`${root}/cgroup.controllers`);
  if (controllers !== null && /\b(memory|cpu)\b/.test(controllers)) {
    return { version: 2, dirs: candidates(root, self.unified) };
  }
  const memory = self.byController.get('memory');
  const cpu = self.byController.get('cpu');
  const cpuacct = self.byController.get('cpuacct');
  if (memory !== undefined || cpu !== undefined || (await read(`${root}/memory/memory.limit_in_bytes`)) !== null) {
    return {
      version: 1,
      memoryDirs: candidates(`${root}/memory`, memory),
      cpuDirs: candidates(`${root}/cpu`, cpu),
      cpuacctDirs: candidates(`${root}/cpuacct`, cpuacct),
    };
  }
  return { version: null };
}

/** The first of `dirs` where `file` reads, with its text. */
export async function readFirst(read: FileReader, dirs: readonly string[], file: string): Promise<string | null> {
  for (const dir of dirs) {
    const text = await read(`${dir}/${file}`);
    if (text !== null) return text;
  }
  return null;
}

/** `key value` lines (memory.stat, cpu.stat) as a map. */
export function parseKeyValues(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^\d+$/.test(value)) values.set(key, Number(value));
  }
  return values;
}

/** A single integer file; "max" and absurd v1 "unlimited" values are null. */
export function parseLimit(text: string | null, hostTotal: number): number | null {
  if (text === null) return null;
  const trimmed = text.trim();
  if (trimmed === 'max' || !/^\d+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  // cgroup v1 writes "unlimited" as a page-rounded 2^63; any limit above the host is no limit.
  return value > 0 && value < hostTotal ? value : null;
}
