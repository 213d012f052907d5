/**
 * Real cgroup v1 directories for tests: a parent with a memory limit and a
 * CPU quota and a child below it, created under this process's own cgroup
 * in the memory, cpu and cpuacct hierarchies with a unique prefix, and
 * removed again (processes first) by `remove()`, also from a process 'exit'
 * handler if a test run dies before its afterAll.
 */
import { readFileSync, rmdirSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { chainOf, parseMountinfo, parseProcCgroup } from '../exporter/src/collectors/cgroup-paths.js';

export type V1Controller = 'memory' | 'cpu' | 'cpuacct';

/** The parent and child directories in each hierarchy. */
export interface CgroupSandbox {
  parent: Record<V1Controller, string>;
  child: Record<V1Controller, string>;
  /** Moves `pid` into the parent (or child) cgroup of every hierarchy. */
  enter(pid: number, where: 'parent' | 'child'): void;
  /** The `cgroup.procs` files of the parent (or child) cgroup, once per directory (cpu and cpuacct may share one). */
  procsFiles(where: 'parent' | 'child'): string[];
  /** Removes the child, then the parent cgroups; safe to call twice. */
  remove(): void;
}

/** Why no sandbox can be made here, or null when it can. */
export function cgroupSandboxUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'creating cgroups needs root';
  try {
    const bases = controllerBases();
    for (const controller of ['memory', 'cpu', 'cpuacct'] as const) {
      if (!bases[controller]) return `no writable cgroup v1 "${controller}" hierarchy is mounted`;
    }
  } catch (error) {
    return `cannot read /proc/self/cgroup or mountinfo: ${(error as Error).message}`;
  }
  return null;
}

/** This process's cgroup directory in each v1 hierarchy (null where the controller is not on v1). */
function controllerBases(): Record<V1Controller, string | null> {
  const self = parseProcCgroup(readFileSync('/proc/self/cgroup', 'utf8'));
  const mounts = parseMountinfo(readFileSync('/proc/self/mountinfo', 'utf8'));
  const base = (controller: V1Controller) => {
    const mount = mounts.find((m) => m.fsType === 'cgroup' && m.controllers.includes(controller));
    const entry = self.find((e) => e.hierarchyId !== 0 && e.controllers.includes(controller));
    return mount && entry ? chainOf(mount, entry.path)[0]! : null;
  };
  return { memory: base('memory'), cpu: base('cpu'), cpuacct: base('cpuacct') };
}

/**
 * Creates `<own cgroup>/chroma-test-<pid>-<random>/child` in the memory, cpu
 * and cpuacct hierarchies (the same directory twice when cpu and cpuacct are
 * mounted together) and sets the parent's limits.
 */
export function createCgroupSandbox(limits: { memoryBytes: number; cpuQuotaUs: number; cpuPeriodUs: number }): CgroupSandbox {
  const bases = controllerBases();
  const name = `chroma-test-${process.pid}-${randomBytes(4).toString('hex')}`;
  const parent = {} as Record<V1Controller, string>;
  const child = {} as Record<V1Controller, string>;
  const created: string[] = [];
  let removed = false;

  const remove = () => {
    if (removed) return;
    removed = true;
    process.removeListener('exit', remove);
    // Children before parents; a directory shared by cpu and cpuacct is removed once.
    for (const dir of [...new Set(created)].reverse()) {
      try {
        if (existsSync(dir)) rmdirSync(dir);
      } catch (error) {
        console.warn(`could not remove cgroup ${dir}: ${(error as Error).message}`);
      }
    }
  };
  process.once('exit', remove);

  try {
    for (const controller of ['memory', 'cpu', 'cpuacct'] as const) {
      parent[controller] = `${bases[controller]}/${name}`;
      child[controller] = `${parent[controller]}/child`;
      for (const dir of [parent[controller], child[controller]]) {
        if (!existsSync(dir)) {
          mkdirSync(dir);
          created.push(dir);
        }
      }
    }
    writeFileSync(`${parent.memory}/memory.limit_in_bytes`, String(limits.memoryBytes));
    writeFileSync(`${parent.cpu}/cpu.cfs_period_us`, String(limits.cpuPeriodUs));
    writeFileSync(`${parent.cpu}/cpu.cfs_quota_us`, String(limits.cpuQuotaUs));
  } catch (error) {
    remove();
    throw error;
  }

  return {
    parent,
    child,
    enter(pid, where) {
      const dirs = where === 'parent' ? parent : child;
      for (const dir of new Set(Object.values(dirs))) writeFileSync(`${dir}/cgroup.procs`, String(pid));
    },
    procsFiles: (where) => [...new Set(Object.values(where === 'parent' ? parent : child))].map((dir) => `${dir}/cgroup.procs`),
    remove,
  };
}
