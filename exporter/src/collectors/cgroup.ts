/**
 * Where the process's memory and CPU cgroups are, and the helpers the
 * readers share.
 *
 * Discovery, in this order:
 * 1. /proc/self/cgroup names the process's cgroup in each hierarchy.
 * 2. /proc/self/mountinfo says where each hierarchy is mounted and which
 *    cgroup the mount shows at its mount point (field 4: `/` on a host,
 *    `/docker/abc` in a container without a cgroup namespace).
 * 3. A controller bound to a v1 hierarchy (`cgroup` mount with it in the
 *    super options) is read there; otherwise from the unified `cgroup2`
 *    mount. A hybrid host (v1 memory and cpu, v2 for the rest) reads v1.
 * 4. Without mountinfo, the usual layout under /sys/fs/cgroup is assumed.
 *
 * The result is, per controller, the chain of directories from the
 * process's cgroup up to the root visible in this mount namespace. Limits
 * are the smallest along the whole chain (a parent's limit binds every
 * child: kernel cgroup-v2.rst "Top-down constraint", and v1 memory
 * hierarchy accounting). Usage is read in the cgroup whose limit binds
 * (its memory.usage_in_bytes counts every process below it, which is what
 * the OOM killer compares with the limit), from the first level up that has
 * the file; without a limit, in the process's own cgroup.
 */
import type { FileReader } from '../file-reader.js';
import { chainOf, parseMountinfo, parseProcCgroup, type CgroupMount, type ProcCgroupEntry } from './cgroup-paths.js';

export const CGROUP_ROOT = '/sys/fs/cgroup';

/** One controller's directories, own cgroup first, up to the visible root. */
export interface CgroupHierarchy {
  version: 1 | 2;
  chain: string[];
  /** The process's cgroup path in this hierarchy and the mount's root: two hierarchies with both equal have parallel chains. */
  path: string;
  mountRoot: string;
}

/** The hierarchies the readers use; null where the controller is not found. */
export interface CgroupLayout {
  memory: CgroupHierarchy | null;
  cpu: CgroupHierarchy | null;
  cpuacct: CgroupHierarchy | null;
}

const CONTROLLERS = ['memory', 'cpu', 'cpuacct'] as const;
type Controller = (typeof CONTROLLERS)[number];

function v1Path(self: ProcCgroupEntry[], controller: Controller): string | undefined {
  return self.find((entry) => entry.hierarchyId !== 0 && entry.controllers.includes(controller))?.path;
}

function fromMounts(self: ProcCgroupEntry[], mounts: CgroupMount[], unifiedControllers: string | null): CgroupLayout {
  const unifiedPath = self.find((entry) => entry.hierarchyId === 0)?.path;
  const unified = mounts.find((mount) => mount.fsType === 'cgroup2');
  const layout: CgroupLayout = { memory: null, cpu: null, cpuacct: null };
  for (const controller of CONTROLLERS) {
    const v1 = mounts.find((mount) => mount.fsType === 'cgroup' && mount.controllers.includes(controller));
    const path = v1Path(self, controller);
    if (v1) {
      if (path !== undefined) layout[controller] = { version: 1, chain: chainOf(v1, path), path, mountRoot: v1.root };
      continue;
    }
    // v2 has no cpuacct: usage is in cpu.stat, which the cpu controller's chain reads.
    const v2Name = controller === 'cpuacct' ? 'cpu' : controller;
    if (unified && unifiedPath !== undefined && unifiedControllers !== null && new RegExp(`\\b${v2Name}\\b`).test(unifiedControllers)) {
      layout[controller] = { version: 2, chain: chainOf(unified, unifiedPath), path: unifiedPath, mountRoot: unified.root };
    }
  }
  return layout;
}

/** Detects the layout once; the readers then only read files along the chains. */
export async function detectCgroup(read: FileReader, root = CGROUP_ROOT): Promise<CgroupLayout> {
  const self = parseProcCgroup((await read('/proc/self/cgroup')) ?? '');
  let mounts = parseMountinfo((await read('/proc/self/mountinfo')) ?? '');
  if (mounts.length === 0) {
    // No mountinfo (or no cgroup mounts in it): assume the usual layout, each v1 controller under its own name.
    mounts = [{ fsType: 'cgroup2', root: '/', mountPoint: root, controllers: [] }];
    for (const controller of CONTROLLERS) {
      if (v1Path(self, controller) !== undefined) mounts.push({ fsType: 'cgroup', root: '/', mountPoint: `${root}/${controller}`, controllers: [controller] });
    }
  }
  const unified = mounts.find((mount) => mount.fsType === 'cgroup2');
  const unifiedControllers = unified ? await read(`${unified.mountPoint}/cgroup.controllers`) : null;
  return fromMounts(self, mounts, unifiedControllers);
}

/** The first directory of `chain` where `file` exists, with its text; null when none has it. */
export async function readFirst(read: FileReader, chain: readonly string[], file: string): Promise<{ dir: string; text: string } | null> {
  for (const dir of chain) {
    const text = await read(`${dir}/${file}`);
    if (text !== null) return { dir, text };
  }
  return null;
}

/**
 * The smallest limit along `chain`, with the directory that sets it. `limitOf`
 * reads one directory's limit (null: none there). Levels without the files
 * (the v2 root, a directory this namespace cannot see) are skipped.
 */
export async function smallestLimit(chain: readonly string[], limitOf: (dir: string) => Promise<number | null>): Promise<{ dir: string; index: number; value: number } | null> {
  let smallest: { dir: string; index: number; value: number } | null = null;
  for (const [index, dir] of chain.entries()) {
    const value = await limitOf(dir);
    // Strictly smaller: on a tie the level nearest the process wins.
    if (value !== null && (smallest === null || value < smallest.value)) smallest = { dir, index, value };
  }
  return smallest;
}

/**
 * Where to read usage first: the level `index` of `limiting`'s chain (the
 * cgroup whose limit binds) when `usage` is the same tree or a parallel one
 * (v1 cpuacct mounted beside cpu); otherwise nowhere first ([]). Usage and
 * limit are then of one cgroup, as the kernel compares them.
 */
export function bindingLevel(usage: CgroupHierarchy, limiting: CgroupHierarchy, index: number): string[] {
  const parallel = usage === limiting || (usage.path === limiting.path && usage.mountRoot === limiting.mountRoot && usage.chain.length === limiting.chain.length);
  return parallel ? usage.chain.slice(index, index + 1) : [];
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

/** A single non-negative integer file, or null when it is not one. */
export function parseCount(text: string | null): number | null {
  if (text === null) return null;
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : null;
}

/** A memory limit file; "max" and v1's "unlimited" (a page-rounded 2^63, or anything at or above the host) are null. */
export function parseLimit(text: string | null, hostTotal: number): number | null {
  const value = parseCount(text);
  return value !== null && value > 0 && value < hostTotal ? value : null;
}
